namespace Hub.Runtime;

/// <summary>What one route (topic section) did with the messages it matched.</summary>
public sealed class RouteCounters
{
    private long _matched;
    private long _filtered;
    private long _notifications;

    /// <summary>Messages whose topic matched the route.</summary>
    public long Matched => Interlocked.Read(ref _matched);

    /// <summary>Matched messages that its filter (function or stage) dropped, or that had nothing to send.</summary>
    public long Filtered => Interlocked.Read(ref _filtered);

    /// <summary>Notifications the route handed to its targets (one per target).</summary>
    public long Notifications => Interlocked.Read(ref _notifications);

    internal void On(int items, bool filtered)
    {
        Interlocked.Increment(ref _matched);
        if (filtered || items == 0)
        {
            Interlocked.Increment(ref _filtered);
        }
        else
        {
            Interlocked.Add(ref _notifications, items);
        }
    }
}
