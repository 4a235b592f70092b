using System.Collections.Concurrent;
using Hub.Routing;

namespace Hub.Runtime;

/// <summary>Message counters of the running hub (they survive reloads; per route by section name).</summary>
public sealed class HubStatistics
{
    private readonly ConcurrentDictionary<string, RouteCounters> _routes = new(StringComparer.Ordinal);
    private long _received;
    private long _routed;
    private long _filtered;
    private long _unmatched;
    private long _routingFailures;

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Messages that produced at least one notification.</summary>
    public long Routed => Interlocked.Read(ref _routed);

    /// <summary>Messages that matched a route but produced no notification (a filter, a stage, nothing to send).</summary>
    public long Filtered => Interlocked.Read(ref _filtered);

    /// <summary>Messages no route matched (or retained messages skipped by <c>skipretained</c>).</summary>
    public long Unmatched => Interlocked.Read(ref _unmatched);

    public long RoutingFailures => Interlocked.Read(ref _routingFailures);

    /// <summary>The counters of each route (topic section) that matched a message so far.</summary>
    public IReadOnlyDictionary<string, RouteCounters> Routes => _routes;

    internal void OnReceived() => Interlocked.Increment(ref _received);
    internal void OnRoutingFailure() => Interlocked.Increment(ref _routingFailures);

    /// <summary>Counts what the routes made of one received message.</summary>
    internal void OnRouted(List<SectionOutcome> outcomes)
    {
        var notified = false;
        foreach (var outcome in outcomes)
        {
            var items = outcome.Items.Count;
            notified |= items > 0;
            _routes.GetOrAdd(outcome.Section.Name, static _ => new RouteCounters()).On(items, outcome.Filtered);
        }

        if (outcomes.Count == 0)
        {
            Interlocked.Increment(ref _unmatched);
        }
        else if (notified)
        {
            Interlocked.Increment(ref _routed);
        }
        else
        {
            Interlocked.Increment(ref _filtered);
        }
    }
}
