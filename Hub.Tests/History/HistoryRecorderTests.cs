using System.Text;
using Hub.History;
using Hub.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.History;

public sealed class HistoryRecorderTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new();
    private readonly CollectingLogger _logger = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Points_are_written_when_the_flush_interval_passes_not_before()
    {
        await using var recorder = Start(Rule("t/+", HistoryValueKind.Payload, ""));
        var flushed = recorder.NextFlushAsync();
        recorder.Record("t/a", Bytes("21.5"));
        recorder.Record("t/b", Bytes("not a number"));
        recorder.Record("other", Bytes("1"));

        Assert.False(flushed.IsCompleted);
        Assert.Equal(0, recorder.Written);
        await AdvanceUntilFlushedAsync(recorder, TimeSpan.FromSeconds(1));

        Assert.Equal(1, recorder.Written);
        Assert.Equal(1, recorder.Unreadable);
        var series = Assert.Single(recorder.Store!.Last());
        Assert.Equal(("t/a#value", 21.5), (series.Name, series.LastValue));
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromSeconds(1), series.LastTime);
    }

    [Fact]
    public async Task Messages_of_one_series_within_the_same_millisecond_are_all_kept_one_millisecond_apart()
    {
        await using var recorder = Start(Rule("t", HistoryValueKind.Payload, ""));
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var value in new[] { "1", "2", "3" })
        {
            recorder.Record("t", Bytes(value));
        }

        await AdvanceUntilFlushedAsync(recorder, TimeSpan.FromSeconds(1));

        Assert.Equal([(now, 1.0), (now + 1, 2.0), (now + 2, 3.0)], recorder.Store!.Points("t", DateTimeOffset.UnixEpoch, _time.GetUtcNow()).Select(p => (p.Timestamp, p.Value)));
    }

    [Fact]
    public async Task A_full_batch_is_written_at_once_without_waiting_for_the_interval()
    {
        await using var recorder = Start(Rule("t", HistoryValueKind.Field, "v"), batchSize: 3);
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            recorder.Record("t", Bytes($$"""{"v": {{i}}}"""));
        }

        await Condition.UntilAsync(() => recorder.Written == 3, Wait, "a full batch written");
        Assert.Equal(3, recorder.Store!.Points("#", DateTimeOffset.UnixEpoch, _time.GetUtcNow().AddDays(1)).Count());
    }

    [Fact]
    public async Task Fields_paths_formats_every_numeric_field_and_tags_become_series()
    {
        await using var recorder = Start(
            Rule("w/+", HistoryValueKind.AllNumeric, "", tags: [new HistoryTag("station", 1, null), new HistoryTag("unit", null, "unit")]),
            Rule("boiler", HistoryValueKind.Field, "sensors.0.bar"),
            Rule("kitchen", HistoryValueKind.Format, "{tempf}", field: "fahrenheit"));
        recorder.Record("w/north", Bytes("""{"temp": 3.5, "wind": {"speed": 12, "dir": "N"}, "unit": "C", "ok": true}"""));
        recorder.Record("boiler", Bytes("""{"sensors": [{"bar": "1.8"}]}"""));
        recorder.Record("kitchen", Bytes("""{"tempf": 70}"""));
        await AdvanceUntilFlushedAsync(recorder, TimeSpan.FromSeconds(1));

        var series = recorder.Store!.Series().ToDictionary(s => s.Name);
        Assert.Equal(["boiler#sensors.0.bar", "kitchen#fahrenheit", "w/north#temp", "w/north#wind.speed"], series.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("""{"station":"north","unit":"C"}""", series["w/north#temp"].Tags);
        Assert.Equal(12, series["w/north#wind.speed"].LastValue);
        Assert.Equal(1.8, series["boiler#sensors.0.bar"].LastValue);
        Assert.Equal(70, series["kitchen#fahrenheit"].LastValue);
    }

    [Fact]
    public async Task When_the_writer_is_behind_messages_are_dropped_and_counted_and_recording_never_waits()
    {
        var path = _temp.File("h.db");
        HistoryStore.Open(path).Dispose();
        // Another writer holds the database: the recorder's first batch waits for it, and its queue fills up.
        using var blocker = new SqliteConnection($"Data Source={path};Pooling=False");
        blocker.Open();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();
        }

        await using var recorder = Start(Rule("t", HistoryValueKind.Payload, ""), batchSize: 1, queueSize: 10, path: path);
        for (var i = 0; i < 50; i++)
        {
            recorder.Record("t", Bytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        Assert.True(recorder.Dropped >= 50 - 10 - 1, $"dropped {recorder.Dropped}");
        Assert.Single(_logger.Messages(LogLevel.Warning), m => m.Contains("the writer is behind", StringComparison.Ordinal));

        using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }

        await Condition.UntilAsync(() => recorder.Written == 50 - recorder.Dropped, Wait, "the queued points written");
    }

    [Fact]
    public async Task A_full_disk_is_logged_and_counted_the_batch_dropped_and_recording_goes_on()
    {
        await using var recorder = Start(Rule("t/#", HistoryValueKind.Payload, ""), batchSize: 5000);
        recorder.Record("t", Bytes("1"));
        await AdvanceUntilFlushedAsync(recorder, TimeSpan.FromSeconds(1));
        Assert.Equal(1, recorder.Written);

        // The database may not grow any more: SQLite answers SQLITE_FULL, "database or disk is full".
        recorder.Store!.LimitPages(PageCount(recorder.Store.Path));
        for (var i = 0; i < 5000; i++)
        {
            recorder.Record($"t/{i}", Bytes("2"));
        }

        await Condition.UntilAsync(() => recorder.WriteFailures == 1, Wait, "the failed write counted");
        Assert.Equal(5000, recorder.FailedPoints);
        Assert.Contains(_logger.Messages(LogLevel.Error), m => m.Contains("full", StringComparison.Ordinal) && m.Contains("5000 points", StringComparison.Ordinal));

        recorder.Store.LimitPages(1_000_000);
        recorder.Record("t", Bytes("3"));
        await AdvanceUntilFlushedAsync(recorder, TimeSpan.FromSeconds(1));
        Assert.Equal(2, recorder.Written);
        Assert.Equal(3, Assert.Single(recorder.Store.Last("t")).LastValue);
    }

    [Fact]
    public async Task A_store_that_cannot_be_opened_counts_every_batch_as_failed_and_recording_goes_on()
    {
        var blocked = _temp.Write("not-a-directory", "a file");
        await using var recorder = Start(Rule("t", HistoryValueKind.Payload, ""), path: Path.Combine(blocked, "h.db"));
        recorder.Record("t", Bytes("1"));
        await AdvanceUntilFlushedAsync(recorder, TimeSpan.FromSeconds(1));
        recorder.Record("t", Bytes("2"));
        await AdvanceUntilFlushedAsync(recorder, TimeSpan.FromSeconds(1));

        Assert.Equal(2, recorder.WriteFailures);
        Assert.Equal(0, recorder.Written);
        // Rate-limited: one error line for two failures within ten seconds.
        Assert.Single(_logger.Messages(LogLevel.Error), m => m.Contains("failed, they are dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retention_runs_every_maintenance_interval()
    {
        await using var recorder = Start(Rule("t", HistoryValueKind.Payload, ""), flushInterval: TimeSpan.FromDays(1), maintenance: TimeSpan.FromDays(1));
        recorder.Record("t", Bytes("1"));
        await AdvanceUntilFlushedAsync(recorder, TimeSpan.FromDays(1));

        var next = recorder.NextFlushAsync();
        _time.Advance(TimeSpan.FromDays(8));
        await next.WaitAsync(Wait);
        await Condition.UntilAsync(() => _logger.Messages(LogLevel.Information).Any(m => m.Contains("retention removed", StringComparison.Ordinal)), Wait, "retention ran");
        Assert.Empty(recorder.Store!.Points("t", DateTimeOffset.UnixEpoch, _time.GetUtcNow()));
    }

    private HistoryRecorder Start(params HistoryRule[] rules) => Start(rules[0], rules: rules);

    private HistoryRecorder Start(
        HistoryRule rule, int batchSize = 10_000, int queueSize = 100_000, string? path = null, HistoryRule[]? rules = null, TimeSpan? flushInterval = null, TimeSpan? maintenance = null) =>
        HistoryRecorder.Start(
            new HistoryOptions
            {
                Path = path ?? _temp.File("h.db"), BatchSize = batchSize, QueueSize = queueSize, Rules = rules ?? [rule],
                FlushInterval = flushInterval ?? TimeSpan.FromSeconds(1), MaintenanceInterval = maintenance ?? TimeSpan.FromMinutes(10),
            },
            _logger, _time);

    private static HistoryRule Rule(string topic, HistoryValueKind kind, string expression, string? field = null, HistoryTag[]? tags = null) =>
        new() { Name = topic, Topic = topic, Kind = kind, Expression = expression, Field = field ?? (kind == HistoryValueKind.Field ? expression : "value"), Tags = tags ?? [] };

    private async Task AdvanceUntilFlushedAsync(HistoryRecorder recorder, TimeSpan by)
    {
        var flushed = recorder.NextFlushAsync();
        _time.Advance(by);
        await flushed.WaitAsync(Wait);
    }

    private static long PageCount(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_count";
        return (long)command.ExecuteScalar()!;
    }

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
