namespace Hub.Plugins.Storage;

/// <summary>The table layouts of mqttwarn's three SQLite services.</summary>
public enum SqliteLayout
{
    /// <summary>mqttwarn's <c>sqlite</c>: <c>(payload TEXT)</c>, the formatted message.</summary>
    Payload,

    /// <summary>mqttwarn's <c>sqlite_timestamp</c>: <c>(id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT, timestamp DATETIME NOT NULL)</c>.</summary>
    Timestamp,

    /// <summary>mqttwarn's <c>sqlite_json2cols</c>: a column per JSON field (numbers <c>float</c>, text <c>varchar(20)</c>).</summary>
    Json2Cols,
}
