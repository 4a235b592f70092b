using Microsoft.Extensions.Logging;

namespace Hub.Mqtt;

/// <summary>
/// The façade over the MQTT layers: connects, keeps the session alive, reconnects with backoff,
/// restores subscriptions, delivers received messages in arrival order.
/// </summary>
public sealed class MqttClient : IAsyncDisposable
{
    public MqttClient(MqttClientOptions options, ILogger logger, TimeProvider? timeProvider = null) => throw new NotImplementedException();

    /// <summary>Called for each received PUBLISH, one at a time, in arrival order; the acknowledgement is sent after it completes.</summary>
    public Func<MqttApplicationMessage, CancellationToken, ValueTask>? MessageReceived { get; set; }

    /// <summary>Called after each successful CONNACK and resubscription (argument: session present).</summary>
    public Func<bool, CancellationToken, ValueTask>? Connected { get; set; }

    /// <summary>Called when an established connection is lost unexpectedly (argument: reason, delay before the next attempt).</summary>
    public Action<string, TimeSpan>? ConnectionLost { get; set; }

    /// <summary>Subscriptions made on every connect.</summary>
    public IReadOnlyList<MqttSubscription> Subscriptions { get; set; } = [];

    public bool IsConnected => false;

    /// <summary>Starts the background connect/reconnect loop and returns at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>One connection attempt (for <c>hub publish</c>); throws <see cref="MqttConnectException"/> with the reason in words.</summary>
    public Task ConnectOnceAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Publishes; waits for a connection if there is none; completes on the broker's acknowledgement for QoS 1/2.</summary>
    public ValueTask PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Sends DISCONNECT, closes, and stops reconnecting.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
