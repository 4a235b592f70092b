namespace Hub.Analytics.Jobs;

/// <summary>
/// One <c>[job:NAME]</c> section as read from the INI (Hub/Config/Sections reads it): what runs, when, after which
/// jobs, and what it does about runs missed while the hub was down. The kind-specific keys stay in <see cref="Keys"/>.
/// </summary>
internal sealed record JobOptions
{
    /// <summary>The job's name (<c>NAME</c> of <c>[job:NAME]</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The file and line of the section header.</summary>
    public required string File { get; init; }

    public required int Line { get; init; }

    /// <summary><c>kind =</c>: one of <see cref="JobKinds.Names"/>.</summary>
    public required string Kind { get; init; }

    /// <summary><c>schedule =</c> as a Quartz cron expression (seconds first), or null.</summary>
    public string? Cron { get; init; }

    /// <summary><c>schedule =</c> as an interval (a number of seconds or a duration such as 1h), or null.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary><c>timezone =</c>: the zone the cron expression is read in (default UTC).</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary><c>after =</c>: the jobs this one follows (it runs when all of them succeeded since its own last run).</summary>
    public IReadOnlyList<string> After { get; init; } = [];

    /// <summary><c>misfire =</c>: runs missed while the hub was down.</summary>
    public JobMisfire Misfire { get; init; } = JobMisfire.RunOnce;

    /// <summary>Every key of the section with its value (variables expanded) and line.</summary>
    public IReadOnlyDictionary<string, (string Value, int Line)> Keys { get; init; } = new Dictionary<string, (string Value, int Line)>();

    /// <summary>The kind-specific keys read and typed (defaults filled in), by key: see <see cref="JobKinds.Settings"/>.</summary>
    public IReadOnlyDictionary<string, object> Settings { get; init; } = new Dictionary<string, object>();

    /// <summary>A duration setting (present or defaulted).</summary>
    public TimeSpan Duration(string key) => (TimeSpan)Settings[key];

    /// <summary>A duration-list setting (empty when absent or <c>auto</c>).</summary>
    public IReadOnlyList<TimeSpan> Durations(string key) => Settings.TryGetValue(key, out var value) ? (IReadOnlyList<TimeSpan>)value : [];

    /// <summary>A number setting, or null when absent and without default.</summary>
    public double? Number(string key) => Settings.TryGetValue(key, out var value) ? (double)value : null;

    /// <summary>A text setting, or null.</summary>
    public string? Setting(string key) => Settings.TryGetValue(key, out var value) ? (string)value : null;

    /// <summary>A list setting (empty when absent).</summary>
    public IReadOnlyList<string> Names(string key) => Settings.TryGetValue(key, out var value) ? (IReadOnlyList<string>)value : [];

    /// <summary>The text of <paramref name="key"/>, or <paramref name="fallback"/> when the section does not have it.</summary>
    public string? Text(string key, string? fallback = null) => Keys.TryGetValue(key, out var entry) && entry.Value.Trim().Length > 0 ? entry.Value.Trim() : fallback;

    /// <summary>The line of <paramref name="key"/>, or the section's line.</summary>
    public int LineOf(string key) => Keys.TryGetValue(key, out var entry) ? entry.Line : Line;

    /// <summary>A text that changes when the schedule changes (kept with the persisted trigger, so an unchanged schedule keeps its next fire time).</summary>
    public string ScheduleSignature => $"{Cron}|{Interval?.TotalSeconds}|{TimeZone.Id}|{Misfire}";
}
