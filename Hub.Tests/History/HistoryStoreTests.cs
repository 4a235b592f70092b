using Hub.History;
using Hub.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Hub.Tests.History;

public sealed class HistoryStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_store_is_in_WAL_mode_and_keeps_points_and_rollups_in_WITHOUT_ROWID_tables_keyed_by_series_and_time()
    {
        using (HistoryStore.Open(_temp.File("h.db"), time: _time))
        {
        }

        using var connection = new SqliteConnection($"Data Source={_temp.File("h.db")};Pooling=False");
        connection.Open();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        foreach (var table in new[] { "points", "rollup_1m", "rollup_1h" })
        {
            var sql = Scalar(connection, $"SELECT sql FROM sqlite_master WHERE name = '{table}'");
            Assert.Contains("WITHOUT ROWID", sql, StringComparison.Ordinal);
            Assert.Contains("PRIMARY KEY (series_id, ts)", sql, StringComparison.Ordinal);
        }

        Assert.Contains("ts INTEGER", Scalar(connection, "SELECT sql FROM sqlite_master WHERE name = 'points'"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_is_written_once_and_a_point_sent_again_for_the_same_millisecond_is_kept_as_it_was()
    {
        using var store = HistoryStore.Open(_temp.File("h.db"), time: _time);
        var points = Enumerable.Range(0, 1000).Select(i => Point("a/b", Start.AddSeconds(i), i)).ToList();

        Assert.Equal(1000, store.Write(points));
        Assert.Equal(0, store.Write(points.Take(10).Select(p => p with { Value = -1 }).ToList()));

        var all = store.Points("a/b", Start, Start.AddDays(1)).ToList();
        Assert.Equal(1000, all.Count);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (double)i), all.Select(p => p.Value));
        // The rollups did not count the refused duplicates either.
        var count = store.Query("a/b", Start, Start.AddDays(1), TimeSpan.FromHours(1), HistoryAggregate.Count, HistoryResolution.OneMinute);
        Assert.Equal(1000, count.Samples.Sum(s => s.Value));
    }

    [Fact]
    public void A_large_batch_with_a_few_points_already_stored_keeps_those_and_adds_the_rest_once_with_new_series_in_it()
    {
        using var store = HistoryStore.Open(_temp.File("h.db"), time: _time);
        var stored = new[] { 3, 70, 150, 199 }.Select(i => Point("a/b", Start.AddSeconds(i), -1)).ToList();
        Assert.Equal(4, store.Write(stored));

        // 200 points of a/b (whole multi-row chunks, some holding an old point) and, in the same chunks, a new series.
        var batch = Enumerable.Range(0, 200).Select(i => i % 10 == 5 ? Point("c/d", Start.AddSeconds(i), i) : Point("a/b", Start.AddSeconds(i), i)).ToList();
        Assert.Equal(196, store.Write(batch));

        var ab = store.Points("a/b", Start, Start.AddDays(1)).ToList();
        Assert.Equal(180, ab.Count);
        Assert.Equal(-1, ab.Single(p => p.Timestamp == Start.AddSeconds(70).ToUnixTimeMilliseconds()).Value);
        Assert.Equal(20, store.Points("c/d", Start, Start.AddDays(1)).Count());
        var count = store.Query("a/b", Start, Start.AddDays(1), TimeSpan.FromHours(1), HistoryAggregate.Count, HistoryResolution.OneMinute);
        Assert.Equal(180, count.Samples.Sum(s => s.Value));
        Assert.Equal(["a/b#value", "c/d#value"], store.Series().Select(s => s.Name));
    }

    [Fact]
    public void Rollups_hold_min_max_mean_count_and_last_of_each_minute_and_hour_even_when_a_minute_arrives_in_several_batches()
    {
        using var store = HistoryStore.Open(_temp.File("h.db"), time: _time);
        // Two hours at one point per 10 s, values 0..719, written in batches of 7 that straddle bucket edges, in reverse order.
        var points = Enumerable.Range(0, 720).Select(i => Point("t", Start.AddSeconds(i * 10), i)).Reverse().ToList();
        foreach (var batch in points.Chunk(7))
        {
            store.Write(batch);
        }

        foreach (var (resolution, size) in new[] { (HistoryResolution.OneMinute, 6), (HistoryResolution.OneHour, 360) })
        {
            var step = TimeSpan.FromSeconds(size * 10);
            var buckets = Enumerable.Range(0, 720 / size).Select(b => Enumerable.Range(b * size, size).Select(i => (double)i).ToList()).ToList();
            Assert.Equal(buckets.Select(b => b.Min()), Values(store, resolution, step, HistoryAggregate.Min));
            Assert.Equal(buckets.Select(b => b.Max()), Values(store, resolution, step, HistoryAggregate.Max));
            Assert.Equal(buckets.Select(b => b.Average()), Values(store, resolution, step, HistoryAggregate.Mean));
            Assert.Equal(buckets.Select(b => (double)b.Count), Values(store, resolution, step, HistoryAggregate.Count));
            Assert.Equal(buckets.Select(b => b[^1]), Values(store, resolution, step, HistoryAggregate.Last));
            // The same aggregates from the raw points agree.
            Assert.Equal(Values(store, HistoryResolution.Raw, step, HistoryAggregate.Mean), Values(store, resolution, step, HistoryAggregate.Mean));
        }
    }

    [Fact]
    public void A_query_picks_raw_points_for_short_steps_and_rollups_for_long_steps_or_ranges_older_than_the_raw_retention()
    {
        _time.Advance(TimeSpan.FromDays(30));
        var now = _time.GetUtcNow();
        using var store = HistoryStore.Open(_temp.File("h.db"), time: _time);
        store.Write([Point("t", now.AddMinutes(-5), 1)]);

        Assert.Equal(HistoryResolution.Raw, store.Query("t", now.AddHours(-1), now, TimeSpan.FromSeconds(10), HistoryAggregate.Mean).Resolution);
        Assert.Equal(HistoryResolution.OneMinute, store.Query("t", now.AddDays(-1), now, TimeSpan.FromMinutes(3), HistoryAggregate.Mean).Resolution);
        Assert.Equal(HistoryResolution.OneHour, store.Query("t", now.AddDays(-30), now, TimeSpan.FromHours(2), HistoryAggregate.Mean).Resolution);
        // 10 days back: raw points are kept for 7 days only, so even a short step reads the 1-minute rollups.
        Assert.Equal(HistoryResolution.OneMinute, store.Query("t", now.AddDays(-10), now, TimeSpan.FromSeconds(1), HistoryAggregate.Mean).Resolution);
        Assert.Equal(HistoryResolution.OneHour, store.Query("t", now.AddDays(-100), now, TimeSpan.FromSeconds(1), HistoryAggregate.Mean).Resolution);
        var sample = Assert.Single(store.Query("t", now.AddDays(-1), now, TimeSpan.FromHours(1), HistoryAggregate.Max).Samples);
        Assert.Equal(1, sample.Value);
    }

    [Fact]
    public void Retention_removes_raw_points_after_retain_raw_and_rollups_after_their_own_retention()
    {
        var retention = new HistoryRetention(TimeSpan.FromDays(7), TimeSpan.FromDays(90), TimeSpan.FromDays(365));
        using var store = HistoryStore.Open(_temp.File("h.db"), retention, _time);
        store.Write([Point("t", Start, 1), Point("t", Start.AddDays(6), 2)]);

        _time.Advance(TimeSpan.FromDays(8));
        store.EnforceRetention();
        Assert.Equal([2.0], store.Points("t", Start, Start.AddYears(2)).Select(p => p.Value));
        Assert.Equal(2, store.Query("t", Start, Start.AddDays(10), TimeSpan.FromDays(1), HistoryAggregate.Count, HistoryResolution.OneMinute).Samples.Count);

        _time.Advance(TimeSpan.FromDays(85));
        store.EnforceRetention();
        Assert.Single(store.Query("t", Start, Start.AddDays(10), TimeSpan.FromDays(1), HistoryAggregate.Count, HistoryResolution.OneMinute).Samples);
        Assert.Equal(2, store.Query("t", Start, Start.AddDays(10), TimeSpan.FromDays(1), HistoryAggregate.Count, HistoryResolution.OneHour).Samples.Count);

        _time.Advance(TimeSpan.FromDays(365));
        store.EnforceRetention();
        Assert.Empty(store.Query("t", Start, Start.AddDays(10), TimeSpan.FromDays(1), HistoryAggregate.Count, HistoryResolution.OneHour).Samples);
        // The series and its last value stay.
        Assert.Equal(2, Assert.Single(store.Last("t")).LastValue);
    }

    [Fact]
    public void Series_patterns_are_MQTT_topic_filters_optionally_followed_by_a_field()
    {
        using var store = HistoryStore.Open(_temp.File("h.db"), time: _time);
        store.Write([
            Point("home/kitchen/temperature", Start, 21), Point("home/kitchen/temperature", Start, 40, "humidity"),
            Point("home/hall/temperature", Start, 19), Point("office/temperature", Start, 23),
        ]);

        Assert.Equal(4, store.Series().Count);
        Assert.Equal(["home/hall/temperature#value", "home/kitchen/temperature#humidity", "home/kitchen/temperature#value"], store.Series("home/#").Select(s => s.Name));
        Assert.Equal(["home/hall/temperature#value", "home/kitchen/temperature#value"], store.Series("home/+/temperature#value").Select(s => s.Name));
        Assert.Equal(["home/kitchen/temperature#humidity"], store.Series("##humidity").Select(s => s.Name));
        Assert.Equal(["office/temperature#value"], store.Series("+/temperature").Select(s => s.Name));
        Assert.Throws<ArgumentException>(() => store.Query("home/kitchen/temperature", Start, Start.AddHours(1), TimeSpan.FromMinutes(1), HistoryAggregate.Mean));
        Assert.Single(store.Query("home/kitchen/temperature#humidity", Start, Start.AddHours(1), TimeSpan.FromMinutes(1), HistoryAggregate.Mean).Samples);
    }

    [Fact]
    public void The_last_value_of_a_series_is_its_latest_point_even_when_an_older_one_is_written_later()
    {
        using var store = HistoryStore.Open(_temp.File("h.db"), time: _time);
        store.Write([Point("t", Start.AddMinutes(5), 5)]);
        store.Write([Point("t", Start, 1)]);

        var last = Assert.Single(store.Last());
        Assert.Equal(5, last.LastValue);
        Assert.Equal(Start.AddMinutes(5), last.LastTime);
    }

    private static List<double> Values(HistoryStore store, HistoryResolution resolution, TimeSpan step, HistoryAggregate aggregate) =>
        store.Query("t", Start, Start.AddHours(2), step, aggregate, resolution).Samples.Select(s => s.Value).ToList();

    private static HistoryPoint Point(string topic, DateTimeOffset time, double value, string field = "value") =>
        new(topic, field, "", time.ToUnixTimeMilliseconds(), value);

    private static string Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
