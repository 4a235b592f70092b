namespace Hub.Analytics.Jobs;

/// <summary>The built-in job kinds and the kind-specific keys each reads (docs/jobs.md documents them).</summary>
internal static class JobKinds
{
    public const string Profile = "profile";
    public const string Forecast = "forecast";
    public const string Correlation = "correlation";
    public const string Report = "report";

    /// <summary>The keys every job has, whatever its kind.</summary>
    public static readonly IReadOnlySet<string> CommonKeys = new HashSet<string>(StringComparer.Ordinal) { "kind", "schedule", "timezone", "after", "misfire" };

    /// <summary>The kind-specific keys by kind.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<JobSetting>> Settings = new Dictionary<string, IReadOnlyList<JobSetting>>(StringComparer.Ordinal)
    {
        [Profile] =
        [
            new("series", JobSettingKind.List, Required: true),
            new("window", JobSettingKind.Duration, Default: TimeSpan.FromDays(28)),
            new("step", JobSettingKind.Duration, Default: TimeSpan.FromHours(1)),
            new("periods", JobSettingKind.DurationList),
            new("min_power", JobSettingKind.Number, Default: 0.1),
        ],
        [Forecast] =
        [
            new("series", JobSettingKind.List, Required: true),
            new("window", JobSettingKind.Duration, Default: TimeSpan.FromDays(14)),
            new("step", JobSettingKind.Duration, Default: TimeSpan.FromHours(1)),
            new("season", JobSettingKind.Duration, Default: TimeSpan.FromDays(1)),
            new("horizon", JobSettingKind.Duration, Default: TimeSpan.FromDays(1)),
            new("confidence", JobSettingKind.Number, Default: 0.95),
            new("above", JobSettingKind.Number),
            new("below", JobSettingKind.Number),
            new("severity", JobSettingKind.Text, Default: "warning"),
            new("topic", JobSettingKind.Text, Default: "kpi/forecast/{series}"),
        ],
        [Correlation] =
        [
            new("series", JobSettingKind.List, Required: true),
            new("window", JobSettingKind.Duration, Default: TimeSpan.FromDays(7)),
            new("step", JobSettingKind.Duration, Default: TimeSpan.FromMinutes(5)),
            new("threshold", JobSettingKind.Number, Default: 0.8),
            new("topic", JobSettingKind.Text, Default: "kpi/correlation/{job}"),
            new("targets", JobSettingKind.List),
        ],
        [Report] =
        [
            new("targets", JobSettingKind.List, Required: true),
            new("series", JobSettingKind.List),
            new("period", JobSettingKind.Duration, Default: TimeSpan.FromDays(1)),
            new("step", JobSettingKind.Duration, Default: TimeSpan.FromMinutes(15)),
            new("title", JobSettingKind.Text, Default: "Hub report: {job}"),
        ],
    };

    /// <summary>The kinds' names, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = Settings.Keys.Order(StringComparer.Ordinal).ToList();
}
