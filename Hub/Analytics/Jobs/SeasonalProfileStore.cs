using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Hub.Analytics.Jobs;

/// <summary>
/// <see cref="ISeasonalProfiles"/> on SQLite: one row per series in <c>profiles.db</c> of the state directory (its own
/// file, so the history's writer is never blocked by it). The profile job writes; the rules' <c>baseline</c> and
/// <c>deviation</c> read (a read opens its own connection, so readers and the writer do not wait on each other: WAL).
/// </summary>
internal sealed class SeasonalProfileStore : ISeasonalProfiles
{
    /// <summary>The file name in the state directory.</summary>
    public const string FileName = "profiles.db";

    private readonly string _connectionString;

    private SeasonalProfileStore(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString();
    }

    public string Path { get; }

    /// <summary>Opens (creating when missing) the store at <paramref name="path"/>.</summary>
    public static SeasonalProfileStore Open(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var store = new SeasonalProfileStore(path);
        using var connection = store.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS profiles (
              series TEXT PRIMARY KEY, period_ms INTEGER NOT NULL, mean TEXT NOT NULL, spread TEXT NOT NULL, count TEXT NOT NULL, learned_at INTEGER NOT NULL)
            """;
        command.ExecuteNonQuery();
        return store;
    }

    public SeasonalProfile? Find(string series)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT period_ms, mean, spread, count, learned_at FROM profiles WHERE series = $s";
        command.Parameters.AddWithValue("$s", series);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new SeasonalProfile(series, TimeSpan.FromMilliseconds(reader.GetInt64(0)),
            Numbers(reader.GetString(1)), Numbers(reader.GetString(2)),
            JsonSerializer.Deserialize<long[]>(reader.GetString(3)) ?? [], DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)));
    }

    public void Save(SeasonalProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO profiles (series, period_ms, mean, spread, count, learned_at) VALUES ($s, $p, $m, $sp, $c, $l)";
        command.Parameters.AddWithValue("$s", profile.Series);
        command.Parameters.AddWithValue("$p", (long)profile.Period.TotalMilliseconds);
        command.Parameters.AddWithValue("$m", Text(profile.Mean));
        command.Parameters.AddWithValue("$sp", Text(profile.Spread));
        command.Parameters.AddWithValue("$c", JsonSerializer.Serialize(profile.Count));
        command.Parameters.AddWithValue("$l", profile.LearnedAt.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    // JSON has no NaN: an empty bucket's mean is stored as null.
    private static string Text(double[] values) => JsonSerializer.Serialize(values.Select(v => double.IsFinite(v) ? v : (double?)null));

    private static double[] Numbers(string text) => (JsonSerializer.Deserialize<double?[]>(text) ?? []).Select(v => v ?? double.NaN).ToArray();

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
