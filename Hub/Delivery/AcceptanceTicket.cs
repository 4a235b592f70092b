namespace Hub.Delivery;

/// <summary>One item's share of a <see cref="MessageAcceptance"/>: accepting it more than once counts once.</summary>
public sealed class AcceptanceTicket
{
    private readonly MessageAcceptance _owner;
    private int _accepted;

    internal AcceptanceTicket(MessageAcceptance owner) => _owner = owner;

    public bool IsAccepted => Volatile.Read(ref _accepted) != 0;

    public void Accept()
    {
        if (Interlocked.Exchange(ref _accepted, 1) == 0)
        {
            _owner.Release();
        }
    }

    /// <summary>A new ticket of the same message, for a copy of the item that takes over (failover).</summary>
    public AcceptanceTicket Split() => _owner.Take();
}
