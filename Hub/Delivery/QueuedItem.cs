using Hub.Plugins;

namespace Hub.Delivery;

/// <summary>
/// The host's envelope around an item in a target's queue: when it was accepted, what its route asks for
/// (failover, de-duplication), and how many failover hops brought it here.
/// </summary>
public sealed record QueuedItem(DeliveryItem Item, DateTimeOffset Accepted)
{
    /// <summary>The route's <c>failover =</c> (what is left of it after the hops so far), resolved: wins over the target's own.</summary>
    public IReadOnlyList<FailoverLink> RouteFailover { get; init; } = [];

    /// <summary>The route's <c>dedup =</c>: wins over the target's own.</summary>
    public TimeSpan? RouteDedup { get; init; }

    /// <summary>The item's record in the target's journal (0: not journaled).</summary>
    public long JournalSequence { get; init; }

    /// <summary>The size of the item's journal record (what it counts towards <c>max_journal_bytes</c>; 0: not journaled).</summary>
    public int JournalBytes { get; init; }

    /// <summary>Targets this item already went through (the first one included), so failover never loops.</summary>
    public IReadOnlyList<string> Visited { get; init; } = [];

    /// <summary>The received message's share that this item owes (null: nothing waits for it, e.g. QoS 0).</summary>
    public AcceptanceTicket? Ticket { get; init; }
}
