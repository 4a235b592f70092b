using Microsoft.Data.Sqlite;

namespace Hub.Scheduling;

/// <summary>
/// The jobs' run history and outputs (<c>job-runs.db</c> in the state directory, SQLite WAL): what <c>hub jobs
/// history</c> shows and where a chained job finds the outputs of the jobs it follows. Separate from Quartz's own
/// store (<c>jobs.db</c>) so the scheduler's serialized transactions never wait on it.
/// </summary>
internal sealed class JobRunLog
{
    public const string FileName = "job-runs.db";

    private readonly string _connectionString;

    private JobRunLog(string path) =>
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString();

    /// <summary>Opens (creating when missing) the log at <paramref name="path"/>; runs left <c>running</c> by a hub that stopped become <c>interrupted</c> when <paramref name="recover"/>.</summary>
    public static JobRunLog Open(string path, bool recover)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var log = new JobRunLog(path);
        log.Execute("""
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS runs (
              id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL, kind TEXT NOT NULL, cause TEXT NOT NULL,
              started INTEGER NOT NULL, finished INTEGER, state TEXT NOT NULL, error TEXT, summary TEXT, output TEXT);
            CREATE INDEX IF NOT EXISTS runs_job ON runs (job, id);
            """);
        if (recover)
        {
            log.Execute("UPDATE runs SET state = 'interrupted', error = 'the hub stopped during the run' WHERE state = 'running'");
        }

        return log;
    }

    public long Start(string job, string kind, string cause, DateTimeOffset started)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO runs (job, kind, cause, started, state) VALUES ($j, $k, $c, $s, 'running') RETURNING id";
        command.Parameters.AddWithValue("$j", job);
        command.Parameters.AddWithValue("$k", kind);
        command.Parameters.AddWithValue("$c", cause);
        command.Parameters.AddWithValue("$s", started.ToUnixTimeMilliseconds());
        return (long)command.ExecuteScalar()!;
    }

    public void Finish(long id, DateTimeOffset finished, string? error, string? summary, string? output)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE runs SET finished = $f, state = $st, error = $e, summary = $su, output = $o WHERE id = $id";
        command.Parameters.AddWithValue("$f", finished.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$st", error is null ? "succeeded" : "failed");
        command.Parameters.AddWithValue("$e", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("$su", (object?)summary ?? DBNull.Value);
        command.Parameters.AddWithValue("$o", (object?)output ?? DBNull.Value);
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    /// <summary>The latest runs, newest first (of <paramref name="job"/>, or of every job when null).</summary>
    public IReadOnlyList<JobRunRecord> History(string? job, int limit = 50) =>
        Select(job is null ? "1 = 1" : "job = $j", job, limit);

    /// <summary>The latest run of <paramref name="job"/>, or null.</summary>
    public JobRunRecord? Last(string job) => Select("job = $j", job, 1).FirstOrDefault();

    /// <summary>The latest successful run of <paramref name="job"/>, or null.</summary>
    public JobRunRecord? LastSuccess(string job) => Select("job = $j AND state = 'succeeded'", job, 1).FirstOrDefault();

    private List<JobRunRecord> Select(string where, string? job, int limit)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, job, kind, cause, started, finished, state, error, summary, output FROM runs WHERE {where} ORDER BY id DESC LIMIT $n";
        command.Parameters.AddWithValue("$j", (object?)job ?? DBNull.Value);
        command.Parameters.AddWithValue("$n", limit);
        using var reader = command.ExecuteReader();
        var runs = new List<JobRunRecord>();
        while (reader.Read())
        {
            runs.Add(new JobRunRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.GetString(6), Text(reader, 7), Text(reader, 8), Text(reader, 9)));
        }

        return runs;
    }

    private static string? Text(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private void Execute(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
