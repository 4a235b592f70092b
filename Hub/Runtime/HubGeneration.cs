using Hub.Scheduling;
using Hub.Config;
using Hub.Delivery;
using Hub.Graph;
using Hub.Pipeline;
using Hub.PluginHost;
using Hub.Plugins;
using Hub.Routing;
using Microsoft.Extensions.Logging;

namespace Hub.Runtime;

/// <summary>
/// Everything built from one configuration and one plugin catalog: the router, the watchdogs, the plugin
/// instances, one queue per target, the sources and scheduled jobs. Hot reload builds a new generation,
/// switches to it, then retires the old one: it waits for messages being routed into it, drains its queues
/// into its sinks, disposes its plugins and unloads their contexts.
/// </summary>
internal sealed class HubGeneration
{
    private readonly Dictionary<(string Service, string? Target), TargetQueue> _queues = [];
    private readonly Dictionary<TargetQueue, List<QueuedItem>> _carried = [];
    private readonly CancellationTokenSource _workers = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly BackgroundPlugins _background;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private int _inFlight;
    private volatile bool _retired;

    private Dictionary<string, FailoverLink>? _links;

    private HubGeneration(HubGraph graph, MessageRouter router, ILoggerFactory loggers, TimeProvider time)
    {
        Graph = graph;
        Router = router;
        _logger = loggers.CreateLogger("hub.core");
        _time = time;
        _background = new BackgroundPlugins(loggers.CreateLogger("hub.plugins"), time);
    }

    /// <summary>The configuration as built for this generation: plugins, bound targets, resolved failover chains.</summary>
    public HubGraph Graph { get; }
    public HubConfig Config => Graph.Config;
    public PluginCatalog Catalog => Graph.Catalog;
    public ServiceInstances Services => Graph.Services;
    public MessageRouter Router { get; }
    public StageRunner Stages => Graph.Stages;
    public Watchdogs Watchdogs { get; private set; } = null!;
    /// <summary>The <c>[cron]</c> user functions of this configuration.</summary>
    public CronScheduler Cron { get; private set; } = null!;
    public IReadOnlyDictionary<(string Service, string? Target), TargetQueue> Queues => _queues;

    /// <summary>
    /// Starts a generation on a graph from <see cref="GraphBuilder"/>: initialises the plugins that need it, then makes
    /// one queue per sink target. Returns the initialisation errors instead when there are any (and disposes the graph's
    /// plugin instances; the caller unloads its catalog).
    /// </summary>
    public static (HubGeneration? Generation, IReadOnlyList<ConfigDiagnostic> Errors) Build(
        HubGraph graph, ILoggerFactory loggers, TimeProvider time, Func<SectionOutcome, ValueTask> deliverWatchdogOutcome, JournalSet? journals = null)
    {
        var config = graph.Config;
        // IAsyncInitializable: once, before the first message; a failure is reported like a configuration error.
        var errors = graph.Services.InitializeAsync(config, CancellationToken.None).GetAwaiter().GetResult();
        if (errors.Count > 0)
        {
            DisposeInstancesAsync(graph.Services, loggers.CreateLogger("hub.core")).AsTask().GetAwaiter().GetResult();
            return (null, errors);
        }

        var generation = new HubGeneration(graph, new MessageRouter(config, loggers.CreateLogger("hub.router"), time, graph.Steps, graph.Services.Bound), loggers, time);
        generation.Watchdogs = new Watchdogs(config, generation.Router, deliverWatchdogOutcome, time, loggers.CreateLogger("hub.watchdog"));
        generation.Cron = new CronScheduler(config.Functions, time, loggers.CreateLogger("hub.cron"));
        config.Functions.UseDelivery((section, topic, payload) =>
            _ = generation.EnqueueWhenRoutedAsync(generation.Router.RouteToSectionAsync(section, topic, payload), CancellationToken.None));
        var deliveryLogger = loggers.CreateLogger("hub.delivery");
        var deadLetters = DeadLetterStore.For(config, time);
        var sinks = new Dictionary<string, RunningSink>(StringComparer.Ordinal);
        // A filter, transform, analytics stage, source or job has no sink: no targets to deliver to.
        foreach (var target in graph.Targets.Values.Where(t => t.Sink is not null))
        {
            var (service, policy) = (target.Service, target.Policy);
            if (!sinks.TryGetValue(service.Name, out var sink))
            {
                sinks[service.Name] = sink = new RunningSink(service.Name, target.Sink!, target.Timeout, deliveryLogger);
            }

            var queue = DeliveryChainBuilder.Queue(service.Name, target.Target.Name, sink, policy, time, deliveryLogger);
            queue.Failover = (queued, reason) => generation.FailoverAsync(queue, target, queued, reason);
            queue.Failing = reason => generation.OnTargetFailing(queue, reason);
            queue.DeadLetters = deadLetters;
            if (journals is not null && queue.Policy.Durable)
            {
                // The journal is the backlog: what it holds pending goes first, read back in order as the window empties.
                queue.Rebind = target.Readdress; // the descriptor and the bound target as configured now
                queue.Journal = journals.Open(service.Name, target.Target.Name);
            }

            generation._queues[target.Key] = queue;
        }

        return (generation, []);
    }

    /// <summary>
    /// What the previous generation could not deliver before a reload's deadline: queued here first (before any new
    /// message, so the order per target holds), or kept as dead letters when this configuration no longer has the target.
    /// </summary>
    public void CarryOver(HubGeneration old)
    {
        foreach (var (key, from) in old._queues)
        {
            var left = from.TakeLeftovers();
            if (left.Count == 0)
            {
                continue;
            }

            if (_queues.TryGetValue(key, out var to))
            {
                _logger.LogWarning("Reload: {Count} notifications for {Target} move to the new configuration", left.Count, to.DisplayName);
                _carried[to] = [.. left];
                continue;
            }

            foreach (var queued in left)
            {
                from.AbandonToDeadLetters(queued, "its target is gone from the reloaded configuration");
            }
        }
    }

    /// <summary>Starts the target workers, sources and scheduled jobs.</summary>
    public void Start()
    {
        // What the journals kept from the last run is each durable target's backlog: it goes first (TargetQueue.Start).
        foreach (var queue in _queues.Values.Where(q => q.Journal is not null && q.Counters.BacklogItems > 0))
        {
            _logger.LogWarning("Delivering {Count} journaled notifications for {Target} left from the last run", queue.Counters.BacklogItems, queue.DisplayName);
        }

        foreach (var queue in _queues.Values)
        {
            queue.Start(_workers.Token);
        }

        foreach (var (queue, items) in _carried)
        {
            queue.EnqueueRecoveredAsync(items, _workers.Token).GetAwaiter().GetResult();
        }

        _carried.Clear();

        Cron.Start();
        _background.Start(Config.Services.Where(s => Services.Instances.ContainsKey(s.Name)).Select(s => (s, Services.Instances[s.Name])), Config.Defaults);
    }

    /// <summary>Marks a message as being routed into this generation; false once it is retired (use the new one).</summary>
    public bool TryEnter()
    {
        Interlocked.Increment(ref _inFlight);
        if (!_retired)
        {
            return true;
        }

        Exit();
        return false;
    }

    public void Exit()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && _retired)
        {
            _idle.TrySetResult();
        }
    }

    /// <summary>Routes one outcome into this generation's queues.</summary>
    public async ValueTask EnqueueAsync(SectionOutcome outcome, CancellationToken cancellationToken, MessageAcceptance? acceptance = null)
    {
        var section = outcome.Section;
        var plain = section.Failover.Count == 0 && section.Dedup is null && acceptance is null;
        foreach (var routed in outcome.Items)
        {
            if (_queues.TryGetValue((routed.Service.Name, routed.Target.Name), out var queue))
            {
                if (plain)
                {
                    await queue.EnqueueAsync(routed.Item, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await queue.EnqueueAsync(new QueuedItem(routed.Item, _time.GetUtcNow())
                {
                    RouteFailover = section.Failover.Count == 0 ? [] : Graph.BySection[section].Failover,
                    RouteDedup = section.Dedup,
                    Visited = queue.OnlyThis,
                    Ticket = acceptance?.Take(),
                }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A route's chain read back from a journal holds only the links' references (<see cref="JournalItemCodec"/>): each is
    /// resolved against this generation's graph, as the item's descriptor is, so a restart or a reload fails over to the
    /// targets as configured now. Links resolved in this generation come back as they are.
    /// </summary>
    private IReadOnlyList<FailoverLink> Live(IReadOnlyList<FailoverLink> chain)
    {
        if (chain.All(l => l.Targets.Count > 0))
        {
            return chain;
        }

        _links ??= Graph.Routes.SelectMany(r => r.Failover).Concat(Graph.Targets.Values.SelectMany(t => t.Failover))
            .GroupBy(l => l.Reference, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return [.. chain.Select(l => l.Targets.Count == 0 && _links.TryGetValue(l.Reference, out var live) ? live : l)];
    }

    /// <summary>
    /// A target gave up on an item: the next link of its failover chain (the route's <c>failover</c>, else the
    /// target's, both resolved to targets when the graph was built) takes it, with the rest of the chain. A bare
    /// service takes it on each of its targets. Targets the item already went through are skipped, so chains never loop.
    /// </summary>
    private async ValueTask<bool> FailoverAsync(TargetQueue from, BoundTarget fromTarget, QueuedItem queued, string reason)
    {
        var chain = queued.RouteFailover.Count > 0 ? Live(queued.RouteFailover) : fromTarget.Failover;
        for (var link = 0; link < chain.Count; link++)
        {
            var taken = new List<string>();
            foreach (var target in chain[link].Targets)
            {
                if (!_queues.TryGetValue(target.Key, out var queue) || queued.Visited.Contains(queue.DisplayName))
                {
                    continue;
                }

                await queue.EnqueueAsync(queued with
                {
                    Item = target.Readdress(queued.Item),
                    RouteFailover = chain.Skip(link + 1).ToList(),
                    Visited = [.. queued.Visited, queue.DisplayName],
                    JournalSequence = 0, // the record was in the journal of the target it leaves
                    JournalBytes = 0,
                    Ticket = queued.Ticket?.Split(),
                }, _workers.Token).ConfigureAwait(false);
                taken.Add(queue.DisplayName);
            }

            if (taken.Count > 0)
            {
                _logger.LogWarning("Notification failed over from {From} to {To} ({Reason}). topic={Topic}", from.DisplayName, string.Join(", ", taken), reason, queued.Item.Topic);
                return true;
            }
        }

        return false;
    }

    /// <summary>mqttwarn's <c>[failover]</c> section hears of a target that started giving up (once until it delivers again).</summary>
    private void OnTargetFailing(TargetQueue queue, string reason)
    {
        if (Config.Failover is null || _retired)
        {
            return;
        }

        var text = $"Target {queue.DisplayName} is failing: {reason}";
        _ = Task.Run(async () =>
        {
            if (await Router.RouteEventAsync("targetfailing", text).ConfigureAwait(false) is { } outcome)
            {
                await EnqueueAsync(outcome, _workers.Token).ConfigureAwait(false);
            }
        });
    }

    /// <summary>Enqueues an outcome once it is routed (a user function's <c>SendToTargets</c>), without blocking its caller.</summary>
    private async Task EnqueueWhenRoutedAsync(ValueTask<SectionOutcome> routing, CancellationToken cancellationToken) =>
        await EnqueueAsync(await routing.ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Takes no more messages, waits for those being routed into it, stops its sources and jobs, and delivers
    /// everything queued (until <paramref name="deadline"/>).
    /// </summary>
    public async Task RetireAsync(CancellationToken deadline)
    {
        _retired = true;
        Watchdogs.Stop();
        await Cron.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        if (Volatile.Read(ref _inFlight) == 0)
        {
            _idle.TrySetResult();
        }

        await _idle.Task.WaitAsync(deadline).ConfigureAwait(false);
        await _background.StopAsync().WaitAsync(deadline).ConfigureAwait(false);
        await Task.WhenAll(_queues.Values.Select(q => q.DrainAsync(deadline))).ConfigureAwait(false);
    }

    /// <summary>Stops the workers, disposes the plugin instances and unloads the plugin contexts.</summary>
    public async ValueTask DisposeAsync(bool unload)
    {
        await _workers.CancelAsync().ConfigureAwait(false);
        _workers.Dispose();
        Watchdogs.Dispose();
        // The configuration may outlive this generation (a caller may hold it): drop its link back to us,
        // or it would keep this generation's plugins, and so their load contexts, alive.
        Config.Functions.UseDelivery((_, _, _) => { });
        await DisposeInstancesAsync(Services, _logger).ConfigureAwait(false);
        _queues.Clear();
        if (unload)
        {
            Catalog.Unload();
        }
    }

    private static async ValueTask DisposeInstancesAsync(ServiceInstances services, ILogger logger)
    {
        foreach (var (name, instance) in services.Instances)
        {
            try
            {
                if (instance is IAsyncDisposable asyncDisposable)
                {
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                }
                else if (instance is IDisposable disposable)
                {
                    disposable.Dispose();
                }
            }
            catch (Exception ex)
            {
                logger.LogWarning("Disposing plugin instance {Service} failed: {Reason}", name, ex.Message);
            }
        }
    }
}
