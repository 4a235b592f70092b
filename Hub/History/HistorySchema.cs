namespace Hub.History;

/// <summary>The store's tables: series by id; raw points and two rollups keyed by (series, time), WITHOUT ROWID so each row lives in its key's B-tree.</summary>
internal static class HistorySchema
{
    public const int Version = 1;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS series (
            id INTEGER PRIMARY KEY,
            topic TEXT NOT NULL,
            field TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '',
            last_ts INTEGER NOT NULL DEFAULT 0,
            last_value REAL NOT NULL DEFAULT 0,
            UNIQUE (topic, field));
        CREATE TABLE IF NOT EXISTS points (
            series_id INTEGER NOT NULL,
            ts INTEGER NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY (series_id, ts)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS rollup_1m (
            series_id INTEGER NOT NULL,
            ts INTEGER NOT NULL,
            vmin REAL NOT NULL,
            vmax REAL NOT NULL,
            vsum REAL NOT NULL,
            vcount INTEGER NOT NULL,
            vlast REAL NOT NULL,
            vlast_ts INTEGER NOT NULL,
            PRIMARY KEY (series_id, ts)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS rollup_1h (
            series_id INTEGER NOT NULL,
            ts INTEGER NOT NULL,
            vmin REAL NOT NULL,
            vmax REAL NOT NULL,
            vsum REAL NOT NULL,
            vcount INTEGER NOT NULL,
            vlast REAL NOT NULL,
            vlast_ts INTEGER NOT NULL,
            PRIMARY KEY (series_id, ts)) WITHOUT ROWID;
        INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '1');
        """;

    /// <summary>Merges a batch's partial aggregate of one bucket into the stored one (the SET side reads the old row).</summary>
    public static string UpsertRollup(string table) => $"""
        INSERT INTO {table} (series_id, ts, vmin, vmax, vsum, vcount, vlast, vlast_ts)
        VALUES ($s, $t, $min, $max, $sum, $count, $last, $last_ts)
        ON CONFLICT (series_id, ts) DO UPDATE SET
            vmin = min(vmin, excluded.vmin),
            vmax = max(vmax, excluded.vmax),
            vsum = vsum + excluded.vsum,
            vcount = vcount + excluded.vcount,
            vlast = CASE WHEN excluded.vlast_ts >= vlast_ts THEN excluded.vlast ELSE vlast END,
            vlast_ts = max(vlast_ts, excluded.vlast_ts)
        """;

    /// <summary>The table and its resolution in milliseconds (0 for raw).</summary>
    public static (string Table, long Millis) Of(HistoryResolution resolution) => resolution switch
    {
        HistoryResolution.OneMinute => ("rollup_1m", 60_000),
        HistoryResolution.OneHour => ("rollup_1h", 3_600_000),
        _ => ("points", 0),
    };
}
