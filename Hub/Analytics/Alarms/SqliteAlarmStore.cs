using Microsoft.Data.Sqlite;

namespace Hub.Analytics.Alarms;

/// <summary>
/// The alarm state in a local SQLite file (<c>alarms.db</c> in the hub's state directory, WAL): one row per key,
/// the silences, the transition history (the newest <see cref="HistoryLimit"/> kept) and the correlation counts.
/// </summary>
internal sealed class SqliteAlarmStore : IAlarmStore
{
    /// <summary>How many transitions the history keeps.</summary>
    public const int HistoryLimit = 100_000;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS alarms (
            rule TEXT NOT NULL, key TEXT NOT NULL, state TEXT NOT NULL, since INTEGER NOT NULL, value REAL,
            severity TEXT NOT NULL, summary TEXT, labels TEXT NOT NULL, flapping INTEGER NOT NULL, flap_history TEXT NOT NULL,
            last_sample INTEGER, last_when INTEGER NOT NULL, last_recover INTEGER NOT NULL, notified TEXT, notified_at INTEGER,
            ack_by TEXT, ack_comment TEXT, ack_until INTEGER, episodes INTEGER NOT NULL, correlated_with TEXT,
            PRIMARY KEY (rule, key));
        CREATE TABLE IF NOT EXISTS silences (
            id TEXT PRIMARY KEY, matchers TEXT NOT NULL, starts INTEGER NOT NULL, ends INTEGER NOT NULL, created_by TEXT NOT NULL, comment TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS history (
            id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, rule TEXT NOT NULL, key TEXT NOT NULL, json TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS history_rule_key ON history (rule, key, id);
        CREATE TABLE IF NOT EXISTS pairs (a TEXT NOT NULL, b TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (a, b));
        """;

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private long _historyWrites;

    private SqliteAlarmStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating when missing) the store at <paramref name="path"/>.</summary>
    public static SqliteAlarmStore Open(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
            Execute(connection, Schema);
            return new SqliteAlarmStore(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public IReadOnlyList<AlarmEntry> LoadAlarms()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT rule, key, state, since, value, severity, summary, labels, flapping, flap_history, last_sample, last_when, "
                + "last_recover, notified, notified_at, ack_by, ack_comment, ack_until, episodes, correlated_with FROM alarms";
            using var reader = command.ExecuteReader();
            var entries = new List<AlarmEntry>();
            while (reader.Read())
            {
                entries.Add(new AlarmEntry(reader.GetString(0), reader.GetString(1))
                {
                    State = AlarmStates.Parse(reader.GetString(2)),
                    Since = Time(reader.GetInt64(3)),
                    Value = reader.IsDBNull(4) ? null : reader.GetDouble(4),
                    Severity = reader.GetString(5),
                    Summary = reader.IsDBNull(6) ? null : reader.GetString(6),
                    Labels = AlarmJson.ParseLabels(reader.GetString(7)),
                    Flapping = reader.GetInt64(8) != 0,
                    FlapHistory = reader.GetString(9),
                    LastSample = reader.IsDBNull(10) ? null : Time(reader.GetInt64(10)),
                    LastWhen = reader.GetInt64(11) != 0,
                    LastRecover = reader.GetInt64(12) != 0,
                    Notified = reader.IsDBNull(13) ? null : reader.GetString(13),
                    NotifiedAt = reader.IsDBNull(14) ? null : Time(reader.GetInt64(14)),
                    AckBy = reader.IsDBNull(15) ? null : reader.GetString(15),
                    AckComment = reader.IsDBNull(16) ? null : reader.GetString(16),
                    AckUntil = reader.IsDBNull(17) ? null : Time(reader.GetInt64(17)),
                    Episodes = reader.GetInt32(18),
                    CorrelatedWith = reader.IsDBNull(19) ? null : reader.GetString(19),
                });
            }

            return entries;
        }
    }

    public IReadOnlyList<Silence> LoadSilences()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT id, matchers, starts, ends, created_by, comment FROM silences";
            using var reader = command.ExecuteReader();
            var silences = new List<Silence>();
            while (reader.Read())
            {
                var matchers = LabelMatcher.ParseList(reader.GetString(1), []);
                silences.Add(new Silence(reader.GetString(0), matchers, Time(reader.GetInt64(2)), Time(reader.GetInt64(3)), reader.GetString(4), reader.GetString(5)));
            }

            return silences;
        }
    }

    public IReadOnlyDictionary<(string A, string B), int> LoadPairs()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT a, b, count FROM pairs";
            using var reader = command.ExecuteReader();
            var pairs = new Dictionary<(string A, string B), int>();
            while (reader.Read())
            {
                pairs[(reader.GetString(0), reader.GetString(1))] = reader.GetInt32(2);
            }

            return pairs;
        }
    }

    public void Save(AlarmStoreBatch batch)
    {
        if (batch.IsEmpty)
        {
            return;
        }

        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            if (batch.Changed.Count > 0)
            {
                using var upsert = _connection.CreateCommand();
                upsert.Transaction = transaction;
                upsert.CommandText = "INSERT OR REPLACE INTO alarms VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11, $p12, $p13, $p14, $p15, $p16, $p17, $p18, $p19)";
                var parameters = Enumerable.Range(0, 20).Select(i => upsert.Parameters.Add($"$p{i}", SqliteType.Text)).ToArray();
                foreach (var e in batch.Changed)
                {
                    object?[] values =
                    [
                        e.Rule, e.Key, AlarmStates.Name(e.State), Ms(e.Since), e.Value is { } v && double.IsFinite(v) ? v : null, e.Severity, e.Summary,
                        AlarmJson.Labels(e.Labels), e.Flapping ? 1 : 0, e.FlapHistory, Ms(e.LastSample), e.LastWhen ? 1 : 0, e.LastRecover ? 1 : 0,
                        e.Notified, Ms(e.NotifiedAt), e.AckBy, e.AckComment, Ms(e.AckUntil), e.Episodes, e.CorrelatedWith,
                    ];
                    for (var i = 0; i < values.Length; i++)
                    {
                        parameters[i].Value = values[i] ?? DBNull.Value;
                    }

                    upsert.ExecuteNonQuery();
                }
            }

            foreach (var (rule, key) in batch.Removed)
            {
                Execute(transaction, "DELETE FROM alarms WHERE rule = $a AND key = $b", rule, key);
            }

            foreach (var line in batch.History)
            {
                Execute(transaction, "INSERT INTO history (time, rule, key, json) VALUES ($a, $b, $c, $d)", Ms(line.Time), line.Rule, line.Key, line.Json);
            }

            foreach (var ((a, b), count) in batch.Pairs)
            {
                Execute(transaction, "INSERT OR REPLACE INTO pairs VALUES ($a, $b, $c)", a, b, count);
            }

            _historyWrites += batch.History.Count;
            if (_historyWrites > HistoryLimit / 10)
            {
                _historyWrites = 0;
                Execute(transaction, "DELETE FROM history WHERE id <= (SELECT MAX(id) FROM history) - $a", HistoryLimit);
            }

            transaction.Commit();
        }
    }

    public void SaveSilence(Silence silence)
    {
        lock (_gate)
        {
            Execute(null, "INSERT OR REPLACE INTO silences VALUES ($a, $b, $c, $d, $e, $f)",
                silence.Id, silence.MatcherText, Ms(silence.Starts), Ms(silence.Ends), silence.CreatedBy, silence.Comment);
        }
    }

    public void DeleteSilence(string id)
    {
        lock (_gate)
        {
            Execute(null, "DELETE FROM silences WHERE id = $a", id);
        }
    }

    public IReadOnlyList<AlarmHistoryLine> History(string? rule, string? key, int limit)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT time, rule, key, json FROM history WHERE ($r IS NULL OR rule = $r) AND ($k IS NULL OR key = $k) ORDER BY id DESC LIMIT $n";
            command.Parameters.AddWithValue("$r", (object?)rule ?? DBNull.Value);
            command.Parameters.AddWithValue("$k", (object?)key ?? DBNull.Value);
            command.Parameters.AddWithValue("$n", limit);
            using var reader = command.ExecuteReader();
            var lines = new List<AlarmHistoryLine>();
            while (reader.Read())
            {
                lines.Add(new AlarmHistoryLine(Time(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }

            return lines;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private void Execute(SqliteTransaction? transaction, string sql, params object?[] values)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue("$" + (char)('a' + i), values[i] ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

}
