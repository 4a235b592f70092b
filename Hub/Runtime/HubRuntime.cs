using System.Runtime.InteropServices;
using System.Text;
using Hub.Config;
using Hub.Delivery;
using Hub.Graph;
using Hub.Mqtt;
using Hub.Pipeline;
using Hub.PluginHost;
using Hub.Routing;
using Hub.Scheduling;
using Microsoft.Extensions.Logging;

namespace Hub.Runtime;

/// <summary>
/// The running hub: one MQTT session and the current <see cref="HubGeneration"/> (router, plugins, one
/// queue and worker per target). Build it with <see cref="Create"/>; run it with <see cref="RunAsync"/> until
/// the token is cancelled, after which it drains the queues within <c>shutdown_timeout</c>, publishes
/// <c>lwt_dead</c> and disconnects. A reload (<see cref="RequestReload"/> on SIGHUP, or the file watcher when
/// <c>hot_reload</c> is on) swaps in a new generation without losing or repeating a message.
/// </summary>
public sealed partial class HubRuntime
{
    private readonly MqttClient _client;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private volatile HubGeneration _current = null!;
    private volatile bool _connected;
    private JournalSet? _journals;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private History.HistoryRecorder? _history;
    private JobScheduler? _jobs;
    private readonly RouteWorkers _workers;
    private volatile RuleRunner? _rules;

    private HubRuntime(MqttClient client, ILoggerFactory loggers, TimeProvider time, DefaultsOptions defaults)
    {
        _client = client;
        _loggers = loggers;
        _time = time;
        _logger = loggers.CreateLogger("hub.core");
        // route_workers and route_queue take effect at start (a reload keeps the workers).
        _workers = new RouteWorkers(defaults.RouteWorkers, defaults.RouteQueue, RouteMessageAsync, topic => _current.Router.Classify(topic), loggers.CreateLogger("hub.pipeline"));
    }

    public HubStatistics Statistics { get; } = new();
    public IReadOnlyCollection<TargetQueue> Queues => _current.Queues.Values.ToList();
    public MqttClient Client => _client;

    /// <summary>Completes the first time the hub is connected with every subscription acknowledged (SUBACK).</summary>
    public Task Ready => _ready.Task;

    /// <summary>The alarm lifecycle the rules' verdicts go to (set before start; until then none is kept).</summary>
    internal Analytics.IAlarmLifecycle AlarmLifecycle { get; set; } = Analytics.NullAlarmLifecycle.Instance;

    /// <summary>The learned seasonal profiles that seed the rules' baselines, or null.</summary>
    internal Analytics.ISeasonalProfiles? SeasonalProfiles { get; set; }

    /// <summary>The rules in force, or null when the configuration has none.</summary>
    internal RuleRunner? Rules => _rules;

    /// <summary>The alarm lifecycle, its publishing and its command topics; null while the configuration has no rules.</summary>
    internal AlarmService? Alarms => _alarms;
    private AlarmService? _alarms;

    /// <summary>The configuration in force (it changes on reload).</summary>
    public HubConfig Config => _current.Config;

    /// <summary>
    /// Creates the runtime on a graph from <see cref="GraphBuilder"/> built with <paramref name="publisher"/>; returns the
    /// plugins' initialisation errors instead when there are any. <paramref name="transport"/> replaces TCP (the embedded
    /// broker's in-process pipe).
    /// </summary>
    internal static (HubRuntime? Runtime, IReadOnlyList<ConfigDiagnostic> Errors) Create(
        HubGraph graph, LatePublisher publisher, ILoggerFactory loggers, TimeProvider? time = null, Mqtt.Transport.IMqttTransport? transport = null)
    {
        time ??= TimeProvider.System;
        var options = MqttOptionsFactory.FromDefaults(graph.Config.Defaults);
        var client = transport is null
            ? new MqttClient(options, loggers.CreateLogger("hub.mqtt"), time)
            : new MqttClient(options, loggers.CreateLogger("hub.mqtt"), time, transport, new Mqtt.Session.SessionState(maxInflight: options.MaxInflightMessages));
        publisher.Attach(new MqttPublisher(client));
        var runtime = new HubRuntime(client, loggers, time, graph.Config.Defaults);
        var (generation, errors) = runtime.Start(graph);
        if (generation is null)
        {
            return (null, errors);
        }

        runtime._current = generation;
        return (runtime, []);
    }

    /// <summary>What every reload builds the graph with: this runtime's loggers, clock and broker connection.</summary>
    private GraphEnvironment ReloadEnvironment => new() { Loggers = _loggers, Publisher = new MqttPublisher(_client), Time = _time };

    private (HubGeneration? Generation, IReadOnlyList<ConfigDiagnostic> Errors) Start(HubGraph graph) =>
        HubGeneration.Build(graph, _loggers, _time, outcome => EnqueueAsync(outcome, CancellationToken.None),
            _journals ??= JournalSet.For(graph.Config, _loggers.CreateLogger("hub.journal")));

    /// <summary>Distinct subscription filters (<c>$share/GROUP/</c> included), each with the options merged from its sections.</summary>
    public static IReadOnlyList<MqttSubscription> Subscriptions(HubConfig config) =>
        config.Sections.GroupBy(s => s.SubscriptionFilter, StringComparer.Ordinal)
            .Select(g => Hub.Config.Sections.SubscriptionOptionsChecker.Merge(g.Key, g.ToList()))
            .Concat(HistorySubscriptions.Extra(config))
            .Concat(config.Rules.Count > 0 ? [AlarmService.Subscription(config)] : [])
            .Concat(RuleRunner.Subscriptions(config).Where(r => !HistorySubscriptions.Extra(config).Any(h => h.Filter == r.Filter)))
            .ToList();

    /// <summary>Starts, handles reloads until <paramref name="stopping"/> is cancelled, then drains and disconnects.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        await StartAsync().ConfigureAwait(false);
        try
        {
            await ProcessReloadsAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown requested.
        }

        await ShutdownAsync().ConfigureAwait(false);
    }

    /// <summary>Starts the target workers, sources and jobs, then the MQTT session (the Generic Host's start step).</summary>
    internal async Task StartAsync()
    {
        var config = Config;
        _current.Start();
        _workers.Start();
        _history = config.History is { } history ? History.HistoryRecorder.Start(history, _loggers.CreateLogger("hub.history"), _time) : null;
        // One store of learned profiles: the profile job writes it, the rules' baseline reads it.
        SeasonalProfiles ??= config.Rules.Count > 0 || config.Jobs.Count > 0
            ? Analytics.Jobs.SeasonalProfileStore.Open(Path.Combine(StateDirectory(config), Analytics.Jobs.SeasonalProfileStore.FileName))
            : null;
        _jobs = await StartJobsAsync(config).ConfigureAwait(false);
        StartAlarms(config);
        _rules = RuleRunner.Create(config, AlarmLifecycle, SeasonalProfiles, _time, _loggers.CreateLogger("hub.rules"));
        Analytics.Rules.AnalyticsHost.AttachAll(_current.Services.Instances, AlarmLifecycle, _time, SeasonalProfiles);
        _client.Subscriptions = Subscriptions(config);
        _client.MessageAccepting = OnMessageAsync;
        _client.Connected = OnConnectedAsync;
        _client.ConnectionLost = OnConnectionLost;
        _logger.LogInformation("Starting hub: {Sections} topic sections, {Targets} targets, broker {Broker}",
            config.Sections.Count, _current.Queues.Count, config.BrokerInProcess ? "embedded (in-process)" : $"{config.Defaults.Hostname}:{config.Defaults.Port}");
        StartReloadWatcher(config);
        await _client.StartAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static string StateDirectory(HubConfig config) => config.Defaults.StateDirectory ?? Path.Combine(config.Directory, ".hub-state");

    /// <summary>The job scheduler, or null when the configuration has no <c>[job:NAME]</c> (docs/jobs.md).</summary>
    internal JobScheduler? Jobs => _jobs;

    /// <summary>Starts the <c>[job:NAME]</c> jobs on the persistent job store in the state directory (none: null).</summary>
    private async Task<JobScheduler?> StartJobsAsync(HubConfig config)
    {
        if (config.Jobs.Count == 0)
        {
            return null;
        }

        var state = StateDirectory(config);
        var services = new Analytics.Jobs.JobServices
        {
            // The jobs' own connection to the history (queries open one per call; the recorder opens its store lazily).
            History = config.History is { } history ? History.HistoryStore.Open(history.Path, history.Retention, _time) : null,
            Publisher = new MqttPublisher(_client),
            Profiles = SeasonalProfiles ?? Analytics.Jobs.SeasonalProfileStore.Open(Path.Combine(state, Analytics.Jobs.SeasonalProfileStore.FileName)),
            Notify = JobNotifications.For(() => _current),
            Time = _time,
            Logger = _loggers.CreateLogger("hub.jobs"),
        };
        return await JobScheduler.StartAsync(config.Jobs, state, services, services.Logger, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Starts the alarm service when the configuration has rules (at start, or at the first reload that brings some).</summary>
    private void StartAlarms(HubConfig config)
    {
        // A lifecycle set from outside before start (a test's, an embedding host's) wins over the service's own.
        if (_alarms is not null || config.Rules.Count == 0 || AlarmLifecycle is not Analytics.NullAlarmLifecycle)
        {
            return;
        }

        var publisher = new MqttPublisher(_client);
        _alarms = AlarmService.Create(config, m => publisher.PublishAsync(m.Topic, m.Payload, m.Qos, m.Retain, CancellationToken.None), () => _current, _time,
            _loggers.CreateLogger("hub.alarms"));
        AlarmLifecycle = _alarms.Lifecycle;
        _alarms.Start();
    }

    /// <summary>True while the session is connected to the broker.</summary>
    public bool IsConnected => _connected;

    /// <summary>Drains the queues within <c>shutdown_timeout</c>, publishes <c>lwt_dead</c> and disconnects (the host's stop step).</summary>
    internal async Task ShutdownAsync()
    {
        _watcher?.Dispose();
        await (_jobs?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
        _jobs?.Services.History?.Dispose();
        var generation = _current;
        var config = generation.Config;
        _logger.LogInformation("Shutting down: draining {Pending} queued notifications", generation.Queues.Values.Sum(q => q.Pending));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(config.Defaults.ShutdownTimeout), _time);
        try
        {
            // Messages on the route workers are routed first; the generation then delivers what they queued.
            await _workers.StopAsync(deadline.Token).ConfigureAwait(false);
            if (_alarms is not null)
            {
                // What the lifecycle decided goes into the queues before they drain; its state is saved.
                await _alarms.DisposeAsync().ConfigureAwait(false);
            }

            await generation.RetireAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("Shutdown deadline reached; {Pending} notifications were not delivered", generation.Queues.Values.Sum(q => q.Pending));
        }

        await generation.DisposeAsync(unload: true).ConfigureAwait(false);
        if (_journals is not null)
        {
            await _journals.DisposeAsync().ConfigureAwait(false);
        }

        await (_history?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);

        using var disconnect = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
        try
        {
            if (config.Defaults.Lwt is { Length: > 0 } lwt && _client.IsConnected)
            {
                await _client.PublishAsync(new MqttApplicationMessage(lwt, Encoding.UTF8.GetBytes(config.Defaults.LwtDead), 0, true), disconnect.Token).ConfigureAwait(false);
            }

            await _client.StopAsync(disconnect.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            _logger.LogWarning("Disconnect was not clean: {Reason}", ex.Message);
        }

        await _client.DisposeAsync().ConfigureAwait(false);
        _logger.LogInformation("Hub stopped");
    }

    /// <summary>The generation to route into, entered (call <see cref="HubGeneration.Exit"/> when done).</summary>
    private HubGeneration Enter()
    {
        while (true)
        {
            var generation = _current;
            if (generation.TryEnter())
            {
                return generation;
            }
        }
    }

    /// <summary>
    /// Hands one received message to its route worker (<see cref="RouteWorkers"/>). Returns when it is queued (a full
    /// worker queue makes this wait: backpressure); the returned task completes when every target accepted its item
    /// (QoS 1/2 only), and the client acknowledges the message then, in arrival order.
    /// </summary>
    private ValueTask<Task> OnMessageAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        Statistics.OnReceived();
        if (_alarms?.TryCommand(message) == true)
        {
            return ValueTask.FromResult(Task.CompletedTask);
        }

        _history?.Record(message.Topic, message.Payload);
        return _workers.HandAsync(message, cancellationToken);
    }

    /// <summary>
    /// Routes one message into the current generation, on its route worker: its steps, then its items into the target
    /// queues (a full queue makes this wait), each with a ticket of <paramref name="acceptance"/>.
    /// </summary>
    private async ValueTask RouteMessageAsync(MqttApplicationMessage message, MessageAcceptance? acceptance, CancellationToken cancellationToken)
    {
        var generation = Enter();
        try
        {
            List<SectionOutcome> outcomes;
            try
            {
                if (!(message.Retain && generation.Config.Defaults.SkipRetained))
                {
                    await generation.Watchdogs.OnMessageAsync(message.Topic).ConfigureAwait(false);
                }

                outcomes = await generation.Router.RouteAsync(message.Topic, message.Payload, message.Retain, message.Properties).ConfigureAwait(false);
                if (!(message.Retain && generation.Config.Defaults.SkipRetained))
                {
                    _rules?.OnMessage(message.Topic, message.Payload);
                }

                Statistics.OnRouted(outcomes);
            }
            catch (Exception ex)
            {
                // A routing bug must not take the session down: log, count, go on with the next message.
                Statistics.OnRoutingFailure();
                _logger.LogError(ex, "Routing the message on {Topic} failed", message.Topic);
                return;
            }

            foreach (var outcome in outcomes)
            {
                await generation.EnqueueAsync(outcome, cancellationToken, acceptance).ConfigureAwait(false);
            }
        }
        finally
        {
            generation.Exit();
        }
    }

    private async ValueTask EnqueueAsync(SectionOutcome outcome, CancellationToken cancellationToken)
    {
        var generation = Enter();
        try
        {
            await generation.EnqueueAsync(outcome, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            generation.Exit();
        }
    }

    private async ValueTask OnConnectedAsync(bool sessionPresent, CancellationToken cancellationToken)
    {
        var d = Config.Defaults;
        _connected = true;
        _current.Watchdogs.Start();
        _ready.TrySetResult();
        // Publish from a separate task: the client may still be completing its connect sequence.
        _ = Task.Run(async () =>
        {
            try
            {
                if (d.Lwt is { Length: > 0 } lwt)
                {
                    await _client.PublishAsync(new MqttApplicationMessage(lwt, Encoding.UTF8.GetBytes(d.LwtAlive), 0, true), cancellationToken).ConfigureAwait(false);
                }

                if (d.StatusPublish)
                {
                    _logger.LogInformation("Publishing status information to {Prefix}", d.StatusTopic);
                    await PublishStatusAsync(d.StatusTopic, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
            {
                _logger.LogWarning("Publishing the alive/status messages failed: {Reason}", ex.Message);
            }
        }, CancellationToken.None);
        await ValueTask.CompletedTask.ConfigureAwait(false);
    }

    private async Task PublishStatusAsync(string prefix, CancellationToken cancellationToken)
    {
        var version = typeof(HubRuntime).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var platform = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "darwin" : OperatingSystem.IsWindows() ? "win32" : RuntimeInformation.OSDescription;
        foreach (var (topic, value) in new[] { ("version", version), ("platform", platform), ("runtime/version", Environment.Version.ToString()) })
        {
            await _client.PublishAsync(new MqttApplicationMessage($"{prefix}/{topic}", Encoding.UTF8.GetBytes(value), 0, true), cancellationToken).ConfigureAwait(false);
        }
    }

    private void OnConnectionLost(string reason, TimeSpan retryDelay)
    {
        _connected = false;
        var generation = _current;
        generation.Watchdogs.Stop();
        var text = $"Broker connection lost. Will attempt to reconnect in {retryDelay.TotalSeconds:0.#}s";
        _logger.LogWarning("{Text} ({Reason})", text, reason);
        _ = Task.Run(async () =>
        {
            if (await generation.Router.RouteEventAsync("brokerdisconnected", text).ConfigureAwait(false) is { } outcome)
            {
                await EnqueueAsync(outcome, CancellationToken.None).ConfigureAwait(false);
            }
        });
    }
}
