namespace Hub.History;

/// <summary>The <c>[history]</c> section: where the embedded time-series store lives, how long it keeps what, and what it records.</summary>
internal sealed record HistoryOptions
{
    /// <summary>The SQLite database file.</summary>
    public required string Path { get; init; }

    /// <summary>How long points are kept at each resolution.</summary>
    public HistoryRetention Retention { get; init; } = HistoryRetention.Default;

    /// <summary>Points written per transaction at most.</summary>
    public int BatchSize { get; init; } = 10_000;

    /// <summary>The longest a received point waits before it is written (and what a crash can lose).</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages waiting for the writer at most; more are counted and dropped, routing never waits.</summary>
    public int QueueSize { get; init; } = 100_000;

    /// <summary>How often retention is enforced.</summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The <c>[history:NAME]</c> record rules, in file order.</summary>
    public IReadOnlyList<HistoryRule> Rules { get; init; } = [];

    /// <summary>The database file used when <c>path</c> is not set: <c>history.db</c> in the hub's state directory.</summary>
    public static string DefaultPath(string? stateDirectory, string configDirectory) =>
        System.IO.Path.Combine(stateDirectory ?? System.IO.Path.Combine(configDirectory, ".hub-state"), "history.db");
}
