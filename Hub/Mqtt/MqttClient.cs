using Hub.Mqtt.Codec;
using Hub.Mqtt.Packets;
using Hub.Mqtt.Session;
using Hub.Mqtt.Transport;
using Microsoft.Extensions.Logging;

namespace Hub.Mqtt;

/// <summary>
/// The façade over the MQTT layers: connects, keeps the session alive, reconnects with backoff,
/// restores subscriptions, delivers received messages in arrival order.
/// </summary>
public sealed partial class MqttClient : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IMqttTransport _transport;
    private readonly IMqttPacketFormatter _formatter;
    private readonly SessionState _session;
    private readonly Lock _gate = new();
    private MqttConnection? _connection;
    private TaskCompletionSource<MqttConnection> _connected = NewConnectedSignal();
    private CancellationTokenSource? _loopStop;
    private Task _loop = Task.CompletedTask;
    private bool _stopped;

    public MqttClient(MqttClientOptions options, ILogger logger, TimeProvider? timeProvider = null)
        : this(options, logger, timeProvider, new TcpTransport(options), new SessionState(maxInflight: options.MaxInflightMessages))
    {
    }

    internal MqttClient(MqttClientOptions options, ILogger logger, TimeProvider? timeProvider, IMqttTransport transport, SessionState session)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _transport = transport;
        _session = session;
        _formatter = MqttPacketFormatters.For(options.ProtocolLevel);
    }

    /// <summary>Called for each received PUBLISH, one at a time, in arrival order; the acknowledgement is sent after it completes.</summary>
    public Func<MqttApplicationMessage, CancellationToken, ValueTask>? MessageReceived { get; set; }

    /// <summary>
    /// Like <see cref="MessageReceived"/> (and used instead of it when set), for handlers that finish with a message
    /// later: the returned task completes when the message may be acknowledged. The next message is handled at once;
    /// acknowledgements still go out in arrival order (a QoS 1/2 message waits for the ones before it).
    /// </summary>
    public Func<MqttApplicationMessage, CancellationToken, ValueTask<Task>>? MessageAccepting { get; set; }

    /// <summary>Called after each successful CONNACK and resubscription (argument: session present).</summary>
    public Func<bool, CancellationToken, ValueTask>? Connected { get; set; }

    /// <summary>Called when an established connection is lost unexpectedly (argument: reason, delay before the next attempt).</summary>
    public Action<string, TimeSpan>? ConnectionLost { get; set; }

    /// <summary>Subscriptions made on every connect.</summary>
    public IReadOnlyList<MqttSubscription> Subscriptions { get; set; } = [];

    public bool IsConnected => Volatile.Read(ref _connection) is { IsClosed: false };

    /// <summary>Starts the background connect/reconnect loop and returns at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_loop.IsCompleted)
            {
                throw new InvalidOperationException("The MQTT client is already started.");
            }

            _stopped = false;
            _loopStop = new CancellationTokenSource();
            var token = _loopStop.Token;
            _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>One connection attempt (for <c>hub publish</c>); throws <see cref="MqttConnectException"/> with the reason in words.</summary>
    public async Task ConnectOnceAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _stopped = false;
        }

        await EstablishAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Publishes; waits for a connection if there is none; completes on the broker's acknowledgement for QoS 1/2.</summary>
    public async ValueTask PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        MqttTopics.ValidateName(message.Topic);
        MqttStrings.GetByteCount(message.Topic, "topic");
        if (message.Qos is < 0 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(message), message.Qos, "QoS must be 0, 1 or 2.");
        }

        if (message.Qos == 0)
        {
            var packet = new PublishPacket(message.Dup ? message with { Dup = false } : message) { Properties = MqttMessageProperties.ToPacket(message.Properties) };
            while (true)
            {
                var connection = await WaitConnectedAsync(cancellationToken).ConfigureAwait(false);
                CheckSize(packet, connection);
                if (await connection.SendAsync(packet).WaitAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }

        OutgoingFlight? flight = null;
        while (flight is null)
        {
            var connection = await WaitConnectedAsync(cancellationToken).ConfigureAwait(false);
            CheckSize(new PublishPacket(message, 1) { Properties = MqttMessageProperties.ToPacket(message.Properties) }, connection);
            lock (_gate)
            {
                // Registered while this connection is up: if it drops before the ack, the next
                // connection's retransmission picks the message up. Without a free in-flight slot
                // the session sends it later, in order, when an acknowledgement frees one.
                if (_connection == connection && !connection.IsClosed)
                {
                    flight = _session.BeginPublish(message, connection.SendPublish);
                }
            }
        }

        await flight.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends DISCONNECT, closes, and stops reconnecting.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        MqttConnection? connection;
        Task loop;
        lock (_gate)
        {
            _stopped = true;
            _loopStop?.Cancel();
            connection = _connection;
            _connection = null;
            _connected.TrySetException(new InvalidOperationException("The MQTT client is stopped."));
            _connected = NewConnectedSignal();
            loop = _loop;
        }

        if (connection is { IsClosed: false })
        {
            await connection.DisconnectAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            _logger.LogInformation("Disconnected from MQTT broker at {Endpoint}", _transport.Endpoint);
        }

        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _loopStop?.Dispose();

    }

    /// <summary>Closes the current connection without DISCONNECT, as a network failure would (the will is published; the client reconnects).</summary>
    internal void DropConnection(string reason) => Volatile.Read(ref _connection)?.Close(reason);

    /// <summary>MQTT 5.0: a PUBLISH bigger than the broker's Maximum Packet Size fails alone, before it is sent (the broker would drop the connection).</summary>
    private void CheckSize(PublishPacket packet, MqttConnection connection)
    {
        // Cheap test first: without properties, a PUBLISH is at most 5 (fixed header) + 2 + 4 per topic character + 2 + 1 bytes besides the payload.
        if (connection.ServerMaximumPacketSize is not { } limit
            || (packet.Properties.IsEmpty && packet.Message.Payload.Length + (4L * packet.Message.Topic.Length) + 10 <= limit))
        {
            return;
        }

        var encoded = new System.Buffers.ArrayBufferWriter<byte>(packet.Message.Payload.Length + 256);
        _formatter.Encode(packet, encoded);
        if (encoded.WrittenCount > limit)
        {
            throw new MqttPublishRejectedException(
                $"The message on {packet.Message.Topic} is {encoded.WrittenCount} bytes as a PUBLISH packet, more than the broker's maximum packet size of {limit} bytes");
        }
    }

    private static TaskCompletionSource<MqttConnection> NewConnectedSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task<MqttConnection> WaitConnectedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<MqttConnection> signal;
            lock (_gate)
            {
                if (_connection is { } current)
                {
                    if (!current.IsClosed)
                    {
                        return current;
                    }

                    _connection = null;
                    _connected = NewConnectedSignal();
                }

                if (_stopped)
                {
                    throw new InvalidOperationException("The MQTT client is stopped.");
                }

                signal = _connected.Task;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask<Task> HandleMessageAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        if (MessageAccepting is { } accepting)
        {
            return accepting(message, cancellationToken);
        }

        var handled = MessageReceived?.Invoke(message, cancellationToken) ?? default;
        return handled.IsCompletedSuccessfully ? new ValueTask<Task>(Task.CompletedTask) : AwaitHandledAsync(handled);

        static async ValueTask<Task> AwaitHandledAsync(ValueTask handled)
        {
            await handled.ConfigureAwait(false);
            return Task.CompletedTask;
        }
    }
}
