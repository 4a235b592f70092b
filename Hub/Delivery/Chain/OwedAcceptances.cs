using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Hub.Delivery.Chain;

/// <summary>
/// A plain (not durable) target owes its acceptance until it delivered the item; one that is retrying does not hold
/// the broker's acknowledgements (and with them every other route) for its backoff: what it owes is accepted when it
/// starts waiting, and it accepts new items at once until it delivers again. Those items are then kept in memory only
/// (<c>durable</c> keeps them on disk).
/// </summary>
internal sealed class OwedAcceptances(string target, TargetHealth health, ILogger logger)
{
    private readonly ConcurrentQueue<AcceptanceTicket> _owed = new();

    public void Owe(AcceptanceTicket ticket)
    {
        if (health.IsRetrying)
        {
            ticket.Accept();
            return;
        }

        _owed.Enqueue(ticket);
        if (health.IsRetrying)
        {
            Release(); // it started retrying meanwhile
        }
    }

    /// <summary>The item of <paramref name="ticket"/> is done: accepted, and what is accepted at the head no longer owed.</summary>
    public void Settle(AcceptanceTicket ticket)
    {
        ticket.Accept();
        while (_owed.TryPeek(out var head) && head.IsAccepted)
        {
            _owed.TryDequeue(out _);
        }
    }

    /// <summary>The target waits to retry: everything it owes is accepted now.</summary>
    public void Release()
    {
        var released = 0;
        while (_owed.TryDequeue(out var ticket))
        {
            if (!ticket.IsAccepted)
            {
                ticket.Accept();
                released++;
            }
        }

        if (released > 0)
        {
            logger.LogWarning("Target {Target} is failing: {Count} messages waiting for it are acknowledged to the broker now, so other routes go on; "
                + "they are kept in memory until delivered (durable = true keeps them on disk)", target, released);
        }
    }
}
