using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Hub.History;

/// <summary>
/// The embedded time-series store (SQLite, WAL): series identified by topic + field, raw points, 1-minute and
/// 1-hour rollups kept up to date with every batch, retention per resolution. The query side (series list, range
/// query, last values, raw points) is what the dashboard, charts, analytics and <c>hub history</c> read; it opens
/// its own connection per call, so it reads while the hub writes.
/// </summary>
public sealed class HistoryStore : IDisposable
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly Dictionary<(string Topic, string Field), (long Id, string Tags)> _series = [];
    private SqliteConnection? _writer;

    private HistoryStore(string path, HistoryRetention retention, TimeProvider time)
    {
        Path = path;
        Retention = retention;
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The retention the store enforces and that <see cref="HistoryResolution.Auto"/> queries respect.</summary>
    public HistoryRetention Retention { get; }

    /// <summary>Opens (creating when missing) the store at <paramref name="path"/>; throws <see cref="SqliteException"/> or <see cref="IOException"/> when it cannot.</summary>
    public static HistoryStore Open(string path, HistoryRetention? retention = null, TimeProvider? time = null)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var store = new HistoryStore(path, retention ?? HistoryRetention.Default, time ?? TimeProvider.System);
        try
        {
            store.OpenWriter();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    private void OpenWriter()
    {
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        Execute(_writer, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        Execute(_writer, HistorySchema.Create);
        using var command = _writer.CreateCommand();
        command.CommandText = "SELECT id, topic, field, tags FROM series";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            _series[(reader.GetString(1), reader.GetString(2))] = (reader.GetInt64(0), reader.GetString(3));
        }
    }

    /// <summary>Writes <paramref name="points"/> in one transaction and folds them into the rollups; returns how many were new (a point already stored for the same series and millisecond is kept as it was).</summary>
    public int Write(IReadOnlyList<HistoryPoint> points)
    {
        var connection = _writer ?? throw new ObjectDisposedException(nameof(HistoryStore));
        using var transaction = connection.BeginTransaction();
        using var insert = Command(connection, transaction, "INSERT OR IGNORE INTO points (series_id, ts, value) VALUES ($s, $t, $v)", "$s", "$t", "$v");
        var minutes = new Dictionary<(long, long), RollupBucket>();
        var hours = new Dictionary<(long, long), RollupBucket>();
        var latest = new Dictionary<long, (long Ts, double Value)>();
        var inserted = 0;
        foreach (var point in points)
        {
            var id = SeriesId(connection, transaction, point);
            insert.Parameters[0].Value = id;
            insert.Parameters[1].Value = point.Timestamp;
            insert.Parameters[2].Value = point.Value;
            if (insert.ExecuteNonQuery() == 0)
            {
                continue;
            }

            inserted++;
            Fold(minutes, id, point, 60_000);
            Fold(hours, id, point, 3_600_000);
            if (!latest.TryGetValue(id, out var last) || point.Timestamp >= last.Ts)
            {
                latest[id] = (point.Timestamp, point.Value);
            }
        }

        UpsertRollups(connection, transaction, "rollup_1m", minutes);
        UpsertRollups(connection, transaction, "rollup_1h", hours);
        using var updateLast = Command(connection, transaction, "UPDATE series SET last_ts = $t, last_value = $v WHERE id = $s AND last_ts <= $t", "$s", "$t", "$v");
        foreach (var (id, (ts, value)) in latest)
        {
            updateLast.Parameters[0].Value = id;
            updateLast.Parameters[1].Value = ts;
            updateLast.Parameters[2].Value = value;
            updateLast.ExecuteNonQuery();
        }

        transaction.Commit();
        return inserted;
    }

    /// <summary>Deletes what is older than each resolution's retention; returns the rows deleted.</summary>
    public long EnforceRetention()
    {
        var connection = _writer ?? throw new ObjectDisposedException(nameof(HistoryStore));
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var deleted = 0L;
        foreach (var (table, keep) in new[] { ("points", Retention.Raw), ("rollup_1m", Retention.OneMinute), ("rollup_1h", Retention.OneHour) })
        {
            using var transaction = connection.BeginTransaction();
            // Per series, so each delete is a range of the primary key rather than a scan of the table.
            using var delete = Command(connection, transaction, $"DELETE FROM {table} WHERE series_id = $s AND ts < $t", "$s", "$t");
            foreach (var (id, _) in _series.Values)
            {
                delete.Parameters[0].Value = id;
                delete.Parameters[1].Value = now - (long)keep.TotalMilliseconds;
                deleted += delete.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return deleted;
    }

    /// <summary>The series whose topic matches <paramref name="pattern"/> (see <see cref="HistoryPattern"/>; null or empty: all), by name.</summary>
    public IReadOnlyList<SeriesInfo> Series(string? pattern = null)
    {
        var match = HistoryPattern.Parse(pattern);
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, topic, field, tags, last_ts, last_value FROM series";
        using var reader = command.ExecuteReader();
        var result = new List<SeriesInfo>();
        while (reader.Read())
        {
            var series = new SeriesInfo(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetDouble(5));
            if (match.Matches(series.Topic, series.Field))
            {
                result.Add(series);
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    /// <summary>The latest point of each series matching <paramref name="pattern"/> (the same as <see cref="Series"/>: every series carries its last point).</summary>
    public IReadOnlyList<SeriesInfo> Last(string? pattern = null) => Series(pattern);

    /// <summary>
    /// The series <paramref name="series"/> (<c>TOPIC#FIELD</c>, or a topic that has one series) from <paramref name="from"/>
    /// (inclusive) to <paramref name="to"/> (exclusive), one sample per <paramref name="step"/> that has points.
    /// </summary>
    public HistoryQueryResult Query(string series, DateTimeOffset from, DateTimeOffset to, TimeSpan step, HistoryAggregate aggregate, HistoryResolution resolution = HistoryResolution.Auto)
    {
        var stepMs = Math.Max(1, (long)step.TotalMilliseconds);
        var (fromMs, toMs) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        var chosen = resolution == HistoryResolution.Auto ? Choose(fromMs, stepMs) : resolution;
        var id = Find(series) ?? throw new KeyNotFoundException($"No series '{series}'");
        var (table, bucketMs) = HistorySchema.Of(chosen);
        var (select, order) = (chosen == HistoryResolution.Raw, aggregate) switch
        {
            (true, HistoryAggregate.Mean) => ("avg(value)", ""),
            (true, HistoryAggregate.Min) => ("min(value)", ""),
            (true, HistoryAggregate.Max) => ("max(value)", ""),
            (true, HistoryAggregate.Count) => ("count(*)", ""),
            (true, _) => ("value", ", max(ts)"), // SQLite: a bare column beside a lone max() comes from that row.
            (false, HistoryAggregate.Mean) => ("sum(vsum) / sum(vcount)", ""),
            (false, HistoryAggregate.Min) => ("min(vmin)", ""),
            (false, HistoryAggregate.Max) => ("max(vmax)", ""),
            (false, HistoryAggregate.Count) => ("sum(vcount)", ""),
            (false, _) => ("vlast", ", max(vlast_ts)"),
        };
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT ts / $step * $step AS bucket, {select}{order} FROM {table} WHERE series_id = $s AND ts >= $from AND ts < $to GROUP BY bucket ORDER BY bucket";
        command.Parameters.AddWithValue("$step", stepMs);
        command.Parameters.AddWithValue("$s", id);
        // A rollup row holds its bucket's start: the bucket holding 'from' starts before it.
        command.Parameters.AddWithValue("$from", bucketMs == 0 ? fromMs : fromMs - Mod(fromMs, bucketMs));
        command.Parameters.AddWithValue("$to", toMs);
        using var reader = command.ExecuteReader();
        var samples = new List<HistorySample>();
        while (reader.Read())
        {
            samples.Add(new HistorySample(reader.GetInt64(0), reader.GetDouble(1)));
        }

        return new HistoryQueryResult(chosen, samples);
    }

    /// <summary>The raw points of the series matching <paramref name="pattern"/> in [<paramref name="from"/>, <paramref name="to"/>), by series name, then time.</summary>
    public IEnumerable<HistoryPoint> Points(string? pattern, DateTimeOffset from, DateTimeOffset to)
    {
        var all = Series(pattern);
        using var connection = OpenReader();
        foreach (var series in all)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT ts, value FROM points WHERE series_id = $s AND ts >= $from AND ts < $to ORDER BY ts";
            command.Parameters.AddWithValue("$s", series.Id);
            command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                yield return new HistoryPoint(series.Topic, series.Field, series.Tags, reader.GetInt64(0), reader.GetDouble(1));
            }
        }
    }

    /// <summary>Caps the database at <paramref name="pages"/> pages, so a test can fill the "disk" (SQLITE_FULL).</summary>
    internal void LimitPages(long pages) => Execute(_writer!, string.Create(CultureInfo.InvariantCulture, $"PRAGMA max_page_count = {pages}"));

    public void Dispose()
    {
        if (_writer is not null)
        {
            _writer.Dispose();
            _writer = null;
            SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        }
    }

    /// <summary>The coarsest table whose resolution is at most the step and whose retention still covers <paramref name="fromMs"/>.</summary>
    private HistoryResolution Choose(long fromMs, long stepMs)
    {
        var chosen = stepMs >= 3_600_000 ? HistoryResolution.OneHour : stepMs >= 60_000 ? HistoryResolution.OneMinute : HistoryResolution.Raw;
        var age = _time.GetUtcNow().ToUnixTimeMilliseconds() - fromMs;
        if (chosen == HistoryResolution.Raw && age > Retention.Raw.TotalMilliseconds)
        {
            chosen = HistoryResolution.OneMinute;
        }

        if (chosen == HistoryResolution.OneMinute && age > Retention.OneMinute.TotalMilliseconds)
        {
            chosen = HistoryResolution.OneHour;
        }

        return chosen;
    }

    private long? Find(string series)
    {
        var split = series.LastIndexOf('#');
        var candidates = Series(split > 0 && split < series.Length - 1 ? series[..split] : series)
            .Where(s => split > 0 && split < series.Length - 1 ? s.Field == series[(split + 1)..] : true)
            .ToList();
        return candidates.Count == 1 ? candidates[0].Id
            : candidates.Count > 1 ? throw new ArgumentException($"'{series}' names {candidates.Count} series; add #FIELD: {string.Join(", ", candidates.Select(c => c.Name))}")
            : null;
    }

    private long SeriesId(SqliteConnection connection, SqliteTransaction transaction, HistoryPoint point)
    {
        var key = (point.Topic, point.Field);
        if (_series.TryGetValue(key, out var known) && known.Tags == point.Tags)
        {
            return known.Id;
        }

        using var command = Command(connection, transaction,
            "INSERT INTO series (topic, field, tags) VALUES ($topic, $field, $tags) ON CONFLICT (topic, field) DO UPDATE SET tags = excluded.tags RETURNING id",
            "$topic", "$field", "$tags");
        command.Parameters[0].Value = point.Topic;
        command.Parameters[1].Value = point.Field;
        command.Parameters[2].Value = point.Tags;
        var id = (long)command.ExecuteScalar()!;
        // Should the transaction roll back, the cache may name a series id that was not stored: the next batch inserts it again under the same key.
        _series[key] = (id, point.Tags);
        return id;
    }

    private static void Fold(Dictionary<(long, long), RollupBucket> buckets, long id, HistoryPoint point, long size)
    {
        var key = (id, point.Timestamp - Mod(point.Timestamp, size));
        if (buckets.TryGetValue(key, out var bucket))
        {
            bucket.Add(point.Value, point.Timestamp);
        }
        else
        {
            buckets[key] = new RollupBucket(point.Value, point.Timestamp);
        }
    }

    private static void UpsertRollups(SqliteConnection connection, SqliteTransaction transaction, string table, Dictionary<(long Id, long Ts), RollupBucket> buckets)
    {
        using var upsert = Command(connection, transaction, HistorySchema.UpsertRollup(table), "$s", "$t", "$min", "$max", "$sum", "$count", "$last", "$last_ts");
        foreach (var ((id, ts), b) in buckets)
        {
            object[] values = [id, ts, b.Min, b.Max, b.Sum, b.Count, b.Last, b.LastTimestamp];
            for (var i = 0; i < values.Length; i++)
            {
                upsert.Parameters[i].Value = values[i];
            }

            upsert.ExecuteNonQuery();
        }
    }

    private static long Mod(long value, long size) => ((value % size) + size) % size;

    private SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
