using Hub.Delivery;

namespace Hub.Diagnostics;

/// <summary>A target's counters summed over every configuration it was part of (a reload makes new counters).</summary>
internal readonly record struct TargetTotals(
    long Queued, long Delivered, long Failed, long Retried, long DeadLettered, long FailedOver, long Dropped, long Deduplicated, long RateLimited, long TimedOut, long Threw)
{
    public static TargetTotals Of(TargetCounters c) =>
        new(c.Queued, c.Sent, c.Failed, c.Retried, c.DeadLettered, c.FailedOver, c.Dropped, c.Deduplicated, c.RateLimited, c.TimedOut, c.Threw);

    public static TargetTotals operator +(TargetTotals a, TargetTotals b) =>
        new(a.Queued + b.Queued, a.Delivered + b.Delivered, a.Failed + b.Failed, a.Retried + b.Retried, a.DeadLettered + b.DeadLettered,
            a.FailedOver + b.FailedOver, a.Dropped + b.Dropped, a.Deduplicated + b.Deduplicated, a.RateLimited + b.RateLimited,
            a.TimedOut + b.TimedOut, a.Threw + b.Threw);
}
