using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Hub.Analytics;
using Hub.Analytics.Alarms;
using Hub.Config;
using Hub.Mqtt;
using Hub.Pipeline;
using Microsoft.Extensions.Logging;

namespace Hub.Runtime;

/// <summary>
/// The alarm lifecycle in the running hub: its state in <c>alarms.db</c> (state directory), its clock (a one-second
/// tick on the hub's <see cref="TimeProvider"/>), every transition published retained on <c>PREFIX/RULE/KEY</c> and on
/// <c>PREFIX/events</c>, notifications delivered through the rule's targets like any route's (retries, failover,
/// journal), and the MQTT command topics <c>PREFIX/command/NAME</c> (answers on <c>PREFIX/reply/NAME</c>, or the
/// MQTT 5.0 response topic). The lifecycle decides under its lock; publishing and delivery run on one loop here.
/// </summary>
internal sealed class AlarmService : IAlarmSink, IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly Channel<object> _outbox = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<MqttApplicationMessage, ValueTask> _publish;
    private readonly Func<HubGeneration> _generation;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private ITimer? _timer;
    private Task? _loop;

    private AlarmService(HubConfig config, Func<MqttApplicationMessage, ValueTask> publish, Func<HubGeneration> generation, TimeProvider time, ILogger logger)
    {
        _publish = publish;
        _generation = generation;
        _time = time;
        _logger = logger;
        Prefix = config.Defaults.AlarmTopic;
        var path = Path.Combine(config.Defaults.StateDirectory ?? Path.Combine(config.Directory, ".hub-state"), "alarms.db");
        Lifecycle = new AlarmLifecycle(config.Rules.Select(r => r.Options), this, time, SqliteAlarmStore.Open(path), logger);
        _logger.LogInformation("Alarms: {Rules} rules, {Keys} keys restored from {Path}", config.Rules.Count, Lifecycle.KeyCount, path);
    }

    public AlarmLifecycle Lifecycle { get; }

    /// <summary>The topic prefix (<c>[defaults] alarm_topic</c>, default <c>alarms</c>).</summary>
    public string Prefix { get; }

    /// <summary>Published transitions and notifications handed to delivery (for status and tests).</summary>
    public long Published => Interlocked.Read(ref _published);
    public long Notified => Interlocked.Read(ref _notified);
    private long _published;
    private long _notified;

    public static AlarmService Create(HubConfig config, Func<MqttApplicationMessage, ValueTask> publish, Func<HubGeneration> generation, TimeProvider time, ILogger logger) =>
        new(config, publish, generation, time, logger);

    /// <summary>The command topic filter the hub subscribes to.</summary>
    public static MqttSubscription Subscription(HubConfig config) => new($"{config.Defaults.AlarmTopic}/command/+", 1);

    public void Start()
    {
        _loop = Task.Run(LoopAsync);
        _timer = _time.CreateTimer(_ => Advance(), null, Tick, Tick);
    }

    /// <summary>A reload: the lifecycle takes the new rules; the retained topics of dropped keys are cleared.</summary>
    public void Reload(HubConfig config)
    {
        foreach (var (rule, key) in Lifecycle.Configure(config.Rules.Select(r => r.Options)))
        {
            _outbox.Writer.TryWrite(new MqttApplicationMessage(StateTopic(rule, key), ReadOnlyMemory<byte>.Empty, 1, true));
        }
    }

    public void Transition(AlarmTransition transition)
    {
        var json = Encoding.UTF8.GetBytes(AlarmJson.Transition(transition));
        _outbox.Writer.TryWrite(new MqttApplicationMessage(StateTopic(transition.Rule, transition.Key), json, 1, true));
        _outbox.Writer.TryWrite(new MqttApplicationMessage($"{Prefix}/events", json, 1, false));
    }

    public void Notify(AlarmNotification notification) => _outbox.Writer.TryWrite(notification);

    /// <summary>Handles a message on a command topic; false when <paramref name="message"/> is not one.</summary>
    public bool TryCommand(MqttApplicationMessage message)
    {
        var prefix = Prefix + "/command/";
        if (!message.Topic.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var command = message.Topic[prefix.Length..];
        JsonObject answer;
        try
        {
            using var args = JsonDocument.Parse(message.Payload.Length == 0 ? "{}"u8.ToArray() : message.Payload);
            answer = AlarmCommands.Execute(Lifecycle, command, args.RootElement, "mqtt");
        }
        catch (JsonException ex)
        {
            answer = AlarmCommands.Error($"the payload is not a JSON object: {ex.Message}");
        }

        _logger.LogInformation("Alarm command {Command} over MQTT: {Result}", command, answer["ok"]?.GetValue<bool>() == true ? "done" : answer["error"]?.ToString());
        var reply = new MqttApplicationMessage(message.Properties?.ResponseTopic ?? $"{Prefix}/reply/{command}", Encoding.UTF8.GetBytes(answer.ToJsonString()), 1, false)
        {
            Properties = message.Properties?.CorrelationData is { } correlation ? new MqttMessageProperties { CorrelationData = correlation } : null,
        };
        _outbox.Writer.TryWrite(reply);
        return true;
    }

    /// <summary>Stops the clock and sends what is decided (into the target queues, before they drain).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        Lifecycle.Dispose();
        _outbox.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
    }

    private string StateTopic(string rule, string key) => $"{Prefix}/{rule}/{key}";

    private void Advance()
    {
        try
        {
            Lifecycle.Advance(_time.GetUtcNow());
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The alarm clock failed");
        }
    }

    private async Task LoopAsync()
    {
        await foreach (var item in _outbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (item is MqttApplicationMessage message)
                {
                    await _publish(message).ConfigureAwait(false);
                    Interlocked.Increment(ref _published);
                }
                else if (item is AlarmNotification notification)
                {
                    await DeliverAsync(notification).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                _logger.LogWarning("Alarm output failed: {Type}: {Reason}", ex.GetType().Name, ex.Message);
            }
        }
    }

    /// <summary>Through the rule's route (its <c>targets</c>), as a user function's <c>SendToTargets</c> reaches delivery.</summary>
    private async ValueTask DeliverAsync(AlarmNotification notification)
    {
        var generation = _generation();
        if (generation.Config.Rules.FirstOrDefault(r => r.Options.Name == notification.Rule)?.Route is not { } route)
        {
            return;
        }

        var first = notification.Alarms.Count > 0 ? notification.Alarms[0] : null;
        var payload = new JsonObject
        {
            ["alarm_title"] = notification.Title,
            ["alarm_message"] = notification.Message,
            ["kind"] = notification.Kind,
            ["rule"] = notification.Rule,
            ["key"] = first?.Key,
            ["severity"] = notification.Severity,
            ["count"] = notification.Alarms.Count,
        }.ToJsonString();
        var topic = first is null ? $"{Prefix}/{notification.Rule}" : StateTopic(first.Rule, first.Key);
        var outcome = await generation.Router.RouteSyntheticAsync(route, topic, payload).ConfigureAwait(false);
        await generation.EnqueueAsync(outcome, CancellationToken.None).ConfigureAwait(false);
        Interlocked.Increment(ref _notified);
    }
}
