namespace Hub.Delivery;

/// <summary>Per-target counters, read by status output and tests.</summary>
public sealed class TargetCounters
{
    private long _queued;
    private long _sent;
    private long _threw;
    private long _timedOut;

    public long Queued => Interlocked.Read(ref _queued);
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Attempts that failed, for any reason (<see cref="Threw"/> + <see cref="TimedOut"/>).</summary>
    public long Failed => Threw + TimedOut;

    /// <summary>Attempts in which the plugin threw.</summary>
    public long Threw => Interlocked.Read(ref _threw);

    /// <summary>Attempts in which the plugin did not finish within its timeout.</summary>
    public long TimedOut => Interlocked.Read(ref _timedOut);

    internal void OnQueued() => Interlocked.Increment(ref _queued);

    /// <summary>Counts the outcome of one attempt that carried <paramref name="items"/> items (a batch carries several).</summary>
    internal void On(DeliveryResult result, int items = 1)
    {
        switch (result)
        {
            case DeliveryResult.Sent:
                Interlocked.Add(ref _sent, items);
                break;
            case DeliveryResult.Threw:
                Interlocked.Add(ref _threw, items);
                break;
            case DeliveryResult.TimedOut:
                Interlocked.Add(ref _timedOut, items);
                break;
        }
    }
}
