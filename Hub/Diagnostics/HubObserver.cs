using Hub.Broker;
using Hub.Delivery;
using Hub.Routing;
using Hub.Runtime;

namespace Hub.Diagnostics;

/// <summary>
/// Reads the running hub for metrics, <c>/ready</c> and <c>/api/status</c>: the one place that knows where the
/// counters live (<see cref="HubStatistics"/>, <see cref="RouterCounters"/>, <see cref="TargetCounters"/>,
/// <see cref="BrokerStatistics"/>). A reload builds new router and target counters; the retired ones are kept
/// (they hold only numbers, never plugins) and added in, so every total only grows.
/// </summary>
internal sealed class HubObserver
{
    private readonly Lock _gate = new();
    private readonly List<RouterCounters> _retiredRouters = [];
    private readonly Dictionary<string, List<TargetCounters>> _retiredTargets = new(StringComparer.Ordinal);
    private readonly HubRuntime _runtime;
    private readonly Func<BrokerStatistics?> _broker;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _started;
    private RouterCounters? _seenRouter;
    private Dictionary<string, TargetCounters> _seenTargets = [];
    private long _unauthorized;

    public HubObserver(HubRuntime runtime, Func<BrokerStatistics?> broker, TimeProvider time)
    {
        _runtime = runtime;
        _broker = broker;
        _time = time;
        _started = time.GetUtcNow();
        lock (_gate)
        {
            Observe(); // the first configuration's counters are known from the start, scraped or not
        }
    }

    public HubRuntime Runtime => _runtime;

    public BrokerStatistics? Broker => _broker();

    public TimeSpan Uptime => _time.GetUtcNow() - _started;

    public DateTimeOffset StartedAt => _started;

    /// <summary>Requests to the web endpoint refused for a missing or wrong token.</summary>
    public long Unauthorized => Interlocked.Read(ref _unauthorized);

    public void OnUnauthorized() => Interlocked.Increment(ref _unauthorized);

    public IReadOnlyList<TargetState> Targets()
    {
        lock (_gate)
        {
            var generation = Observe();
            return [.. generation.Queues.Values.Select(q => new TargetState(
                q.Service, q.Target, q.IsFailing, q.Pending, q.Journal?.PendingBytes ?? 0, Sum(q.DisplayName, q.Counters)))];
        }
    }

    public RefusedTotals Refused()
    {
        lock (_gate)
        {
            var generation = Observe();
            var all = _retiredRouters.Append(generation.Router.Counters).ToList();
            return new RefusedTotals(
                all.Sum(c => c.InvalidUtf8), all.Sum(c => c.EmptySuppressed), all.Sum(c => c.FormatFailures), all.Sum(c => c.FunctionFailures),
                _runtime.Statistics.RoutingFailures);
        }
    }

    /// <summary>Why the hub is not ready (empty when it is): the broker connection, failing targets.</summary>
    public IReadOnlyList<string> NotReadyReasons()
    {
        var reasons = new List<string>();
        if (!_runtime.IsConnected)
        {
            reasons.Add("not connected to the MQTT broker");
        }

        reasons.AddRange(Targets().Where(t => t.Failing).Select(t => $"target {t.Name} is failing"));
        return reasons;
    }

    private TargetTotals Sum(string name, TargetCounters current)
    {
        var total = TargetTotals.Of(current);
        foreach (var retired in _retiredTargets.GetValueOrDefault(name) ?? [])
        {
            total += TargetTotals.Of(retired);
        }

        return total;
    }

    /// <summary>
    /// The generation in force; when a reload replaced the one seen last, that one's counters join the retired ones
    /// (only the counters are remembered, never the generation, so its plugins can unload).
    /// </summary>
    private HubGeneration Observe()
    {
        var current = _runtime.Current;
        if (_seenRouter is not null && !ReferenceEquals(_seenRouter, current.Router.Counters))
        {
            _retiredRouters.Add(_seenRouter);
            foreach (var (name, counters) in _seenTargets)
            {
                if (!_retiredTargets.TryGetValue(name, out var list))
                {
                    _retiredTargets[name] = list = [];
                }

                list.Add(counters);
            }
        }

        _seenRouter = current.Router.Counters;
        _seenTargets = current.Queues.Values.ToDictionary(q => q.DisplayName, q => q.Counters, StringComparer.Ordinal);
        return current;
    }
}
