namespace Hub.Plugins.Storage;

/// <summary>Options of the <c>sqlite</c> plugin (<c>[config:NAME]</c>).</summary>
public sealed class SqliteOptions
{
    [Option("layout", Description = "what a row holds: payload (mqttwarn's sqlite: the message in column payload), timestamp (sqlite_timestamp: id, payload, timestamp) or json2cols (sqlite_json2cols: a column per JSON field)")]
    public SqliteLayout Layout { get; set; } = SqliteLayout.Payload;

    [Option("busy_timeout", Description = "seconds to wait for a database another program has locked before the batch fails and is retried")]
    public int BusyTimeout { get; set; } = 5;
}
