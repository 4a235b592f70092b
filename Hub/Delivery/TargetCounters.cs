namespace Hub.Delivery;

/// <summary>Per-target counters, read by status output and tests.</summary>
public sealed class TargetCounters
{
    private long _queued;
    private long _sent;
    private long _failed;

    public long Queued => Interlocked.Read(ref _queued);
    public long Sent => Interlocked.Read(ref _sent);
    public long Failed => Interlocked.Read(ref _failed);

    internal void OnQueued() => Interlocked.Increment(ref _queued);
    internal void OnSent() => Interlocked.Increment(ref _sent);
    internal void OnFailed() => Interlocked.Increment(ref _failed);
}
