namespace Hub.Delivery;

/// <summary>
/// Tracks one received message until every target it was routed to has accepted it: a durable target once
/// its journal record is on disk, any other target once it delivered the item (or handed it to a failover
/// target, which then owes its own acceptance, or to the dead letters). <see cref="Accepted"/> completes then,
/// and only then may the message be acknowledged to the broker.
/// </summary>
public sealed class MessageAcceptance
{
    private readonly TaskCompletionSource _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pending = 1; // the router's own hold, released by Seal once every item is queued

    public Task Accepted => _accepted.Task;

    /// <summary>A ticket for one more item that must be accepted.</summary>
    public AcceptanceTicket Take()
    {
        Interlocked.Increment(ref _pending);
        return new AcceptanceTicket(this);
    }

    /// <summary>Every item of the message is queued: from now on the last accepted ticket completes <see cref="Accepted"/>.</summary>
    public void Seal() => Release();

    internal void Release()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _accepted.TrySetResult();
        }
    }
}
