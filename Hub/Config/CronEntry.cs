using Quartz;

namespace Hub.Config;

/// <summary>
/// One <c>[cron]</c> line: an interval in seconds (mqttwarn's semantics), or a Quartz cron expression with a time zone
/// (<see cref="Cron"/> set, <see cref="IntervalSeconds"/> 0).
/// </summary>
public sealed record CronEntry(string FunctionName, double IntervalSeconds, bool Now, SourceLocation Location)
{
    /// <summary>A Quartz cron expression (seconds first), or null for an interval.</summary>
    public string? Cron { get; init; }

    /// <summary>The zone <see cref="Cron"/> is read in (option <c>tz=</c>; default UTC).</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>The next time <see cref="Cron"/> fires after <paramref name="time"/>, or null when it never does again.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset time) =>
        Cron is null ? null : TriggerBuilder.Create().StartAt(time).WithCronSchedule(Cron, c => c.InTimeZone(TimeZone)).Build().GetFireTimeAfter(time);
}
