using System.Runtime.InteropServices;
using System.Text;
using Hub.Config;
using Hub.Delivery;
using Hub.Mqtt;
using Hub.PluginHost;
using Hub.Routing;
using Hub.Scheduling;
using Microsoft.Extensions.Logging;

namespace Hub.Runtime;

/// <summary>
/// The running hub: one MQTT session, the router, and one queue and worker per target.
/// Build it with <see cref="Create"/>; run it with <see cref="RunAsync"/> until the token is cancelled,
/// after which it drains the queues within <c>shutdown_timeout</c>, publishes <c>lwt_dead</c> and disconnects.
/// </summary>
public sealed class HubRuntime
{
    private readonly HubConfig _config;
    private readonly MqttClient _client;
    private readonly MessageRouter _router;
    private readonly Dictionary<(string Service, string? Target), TargetQueue> _queues = [];
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Watchdogs _watchdogs;
    private readonly CronScheduler _cron;

    private HubRuntime(HubConfig config, MqttClient client, MessageRouter router, ILoggerFactory loggers, TimeProvider time)
    {
        _config = config;
        _client = client;
        _router = router;
        _time = time;
        _logger = loggers.CreateLogger("hub.core");
        _watchdogs = new Watchdogs(config, router, outcome => EnqueueAsync(outcome, CancellationToken.None), time, loggers.CreateLogger("hub.watchdog"));
        _cron = new CronScheduler(config.Functions, time, loggers.CreateLogger("hub.cron"));
        config.Functions.UseDelivery((section, topic, payload) => _ = EnqueueAsync(router.RouteToSection(section, topic, payload), CancellationToken.None).AsTask());
    }

    public HubStatistics Statistics { get; } = new();
    public IReadOnlyCollection<TargetQueue> Queues => _queues.Values;
    public MqttClient Client => _client;

    /// <summary>Creates the runtime; returns the plugin/target errors instead when there are any.</summary>
    public static (HubRuntime? Runtime, IReadOnlyList<ConfigDiagnostic> Errors) Create(HubConfig config, PluginCatalog catalog, ILoggerFactory loggers, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var client = new MqttClient(MqttOptionsFactory.FromDefaults(config.Defaults), loggers.CreateLogger("hub.mqtt"), time);
        var services = ServiceInstances.Create(config, catalog, loggers, new MqttPublisher(client), time);
        if (services.Errors.Count > 0)
        {
            return (null, services.Errors);
        }

        var runtime = new HubRuntime(config, client, new MessageRouter(config, loggers.CreateLogger("hub.router"), time), loggers, time);
        var deliveryLogger = loggers.CreateLogger("hub.delivery");
        var timeout = TimeSpan.FromSeconds(config.Defaults.PluginTimeout);
        foreach (var service in config.Services)
        {
            var sink = new RunningSink(service.Name, services.Sinks[service.Name], timeout, deliveryLogger);
            foreach (var target in service.Targets)
            {
                runtime._queues[(service.Name, target.Name)] = new TargetQueue(service.Name, target.Name, sink, config.Defaults.QueueSize);
            }
        }

        return (runtime, []);
    }

    /// <summary>Distinct subscription filters, each with the highest QoS among its sections.</summary>
    public static IReadOnlyList<MqttSubscription> Subscriptions(HubConfig config) =>
        config.Sections.GroupBy(s => s.Topic, StringComparer.Ordinal)
            .Select(g => new MqttSubscription(g.Key, g.Max(s => s.Qos)))
            .ToList();

    public async Task RunAsync(CancellationToken stopping)
    {
        using var workers = new CancellationTokenSource();
        foreach (var queue in _queues.Values)
        {
            queue.Start(workers.Token);
        }

        _client.Subscriptions = Subscriptions(_config);
        _client.MessageReceived = OnMessageAsync;
        _client.Connected = OnConnectedAsync;
        _client.ConnectionLost = OnConnectionLost;
        _logger.LogInformation("Starting hub: {Sections} topic sections, {Targets} targets, broker {Host}:{Port}",
            _config.Sections.Count, _queues.Count, _config.Defaults.Hostname, _config.Defaults.Port);
        _cron.Start();
        await _client.StartAsync(stopping).ConfigureAwait(false);

        try
        {
            await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown requested.
        }

        await ShutdownAsync(workers).ConfigureAwait(false);
    }

    private async Task ShutdownAsync(CancellationTokenSource workers)
    {
        await _cron.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        _logger.LogInformation("Shutting down: draining {Pending} queued notifications", _queues.Values.Sum(q => q.Pending));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(_config.Defaults.ShutdownTimeout), _time);
        try
        {
            await Task.WhenAll(_queues.Values.Select(q => q.DrainAsync(deadline.Token))).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("Shutdown deadline reached; {Pending} notifications were not delivered", _queues.Values.Sum(q => q.Pending));
        }

        _watchdogs.Stop();
        await workers.CancelAsync().ConfigureAwait(false);
        using var disconnect = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
        try
        {
            if (_config.Defaults.Lwt is { Length: > 0 } lwt && _client.IsConnected)
            {
                await _client.PublishAsync(new MqttApplicationMessage(lwt, Encoding.UTF8.GetBytes(_config.Defaults.LwtDead), 0, true), disconnect.Token).ConfigureAwait(false);
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

    private async ValueTask OnMessageAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        Statistics.OnReceived();
        List<SectionOutcome> outcomes;
        try
        {
            if (!(message.Retain && _config.Defaults.SkipRetained))
            {
                await _watchdogs.OnMessageAsync(message.Topic).ConfigureAwait(false);
            }

            outcomes = _router.Route(message.Topic, message.Payload, message.Retain);
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
            await EnqueueAsync(outcome, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask EnqueueAsync(SectionOutcome outcome, CancellationToken cancellationToken)
    {
        foreach (var routed in outcome.Items)
        {
            if (_queues.TryGetValue((routed.Service.Name, routed.Target.Name), out var queue))
            {
                await queue.EnqueueAsync(routed.Item, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask OnConnectedAsync(bool sessionPresent, CancellationToken cancellationToken)
    {
        var d = _config.Defaults;
        _watchdogs.Start();
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
        _watchdogs.Stop();
        var text = $"Broker connection lost. Will attempt to reconnect in {retryDelay.TotalSeconds:0.#}s";
        _logger.LogWarning("{Text} ({Reason})", text, reason);
        var outcome = _router.RouteEvent("brokerdisconnected", text);
        if (outcome is not null)
        {
            _ = Task.Run(() => EnqueueAsync(outcome, CancellationToken.None).AsTask());
        }
    }
}
