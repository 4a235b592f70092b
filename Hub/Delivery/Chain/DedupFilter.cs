using Hub.Config.Values;
using Microsoft.Extensions.Logging;

namespace Hub.Delivery.Chain;

/// <summary>
/// <c>dedup = 10m</c> (the route's window wins over the target's): a repeat within the window is not queued; it counts
/// as accepted, is counted and logged.
/// </summary>
internal sealed class DedupFilter(TimeSpan? targetWindow, string service, string? target, TimeProvider time, TargetCounters counters, ILogger logger)
{
    private readonly Deduplicator _seen = new(time);

    /// <summary>True when the item goes on to the target; false when it repeats one sent within the window.</summary>
    public bool Admit(QueuedItem queued)
    {
        if ((queued.RouteDedup ?? targetWindow) is not { } window || !_seen.IsDuplicate(queued.Item, window))
        {
            return true;
        }

        counters.OnDeduplicated();
        queued.Ticket?.Accept();
        logger.LogInformation("Notification not sent again within {Window}: identical to one sent before. service={Service}, target={Target}, topic={Topic}",
            Durations.Format(window), service, target ?? "", queued.Item.Topic);
        return false;
    }
}
