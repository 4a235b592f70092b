namespace Hub.Analytics.Jobs;

/// <summary>The type of a kind-specific job key.</summary>
internal enum JobSettingKind
{
    /// <summary>Free text.</summary>
    Text,

    /// <summary>A duration (<c>30s</c>, <c>15m</c>, <c>1h</c>, <c>7d</c>; a plain number is seconds).</summary>
    Duration,

    /// <summary>A number.</summary>
    Number,

    /// <summary>A comma-separated list of durations, or <c>auto</c> (an empty list).</summary>
    DurationList,

    /// <summary>A comma-separated list.</summary>
    List,
}
