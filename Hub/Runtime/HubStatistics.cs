namespace Hub.Runtime;

/// <summary>Message counters of the running hub.</summary>
public sealed class HubStatistics
{
    private long _received;
    private long _routingFailures;

    public long Received => Interlocked.Read(ref _received);
    public long RoutingFailures => Interlocked.Read(ref _routingFailures);

    internal void OnReceived() => Interlocked.Increment(ref _received);
    internal void OnRoutingFailure() => Interlocked.Increment(ref _routingFailures);
}
