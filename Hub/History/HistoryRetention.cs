namespace Hub.History;

/// <summary>How long raw points, 1-minute and 1-hour rollups are kept (<c>retain_raw</c>, <c>retain_1m</c>, <c>retain_1h</c>).</summary>
/// <param name="Raw">Raw points.</param>
/// <param name="OneMinute">1-minute rollups.</param>
/// <param name="OneHour">1-hour rollups.</param>
public sealed record HistoryRetention(TimeSpan Raw, TimeSpan OneMinute, TimeSpan OneHour)
{
    /// <summary>7 days raw, 90 days of 1-minute rollups, 5 years of 1-hour rollups.</summary>
    public static HistoryRetention Default { get; } = new(TimeSpan.FromDays(7), TimeSpan.FromDays(90), TimeSpan.FromDays(5 * 365));
}
