using System.Threading.Channels;
using Hub.Mqtt.Codec;
using Hub.Mqtt.Packets;
using Hub.Mqtt.Transport;
using Microsoft.Extensions.Logging;

namespace Hub.Mqtt.Session;

/// <summary>
/// One network connection after CONNACK. Five loops: the reader (frames, acks, PINGRESP), the
/// dispatcher (calls the message handler in arrival order), the acknowledger (sends each PUBACK/PUBREC
/// once the handler's acceptance of that message completed, in arrival order), the single writer
/// (batches packets, one socket write per batch), and keep-alive. The reader hands PUBLISHes to
/// the dispatcher through a bounded channel: when it is full the reader stops reading, which
/// pushes back on the broker through TCP. So does a full acknowledgement queue.
/// </summary>
internal sealed partial class MqttConnection : IAsyncDisposable
{
    private readonly ITransportConnection _transport;
    private readonly IMqttPacketFormatter _formatter;
    private readonly SessionState _session;
    private readonly MqttConnectionSettings _settings;
    private readonly Func<MqttApplicationMessage, CancellationToken, ValueTask<Task>>? _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<OutgoingPacket> _outgoing = Channel.CreateUnbounded<OutgoingPacket>(new() { SingleReader = true });
    private readonly Channel<InboundDelivery> _inbound;
    private readonly Channel<PendingAck> _acks;
    private readonly Action<PublishPacket> _sendPublish;
    private readonly InboundTopicAliases _inboundAliases;
    private readonly OutboundTopicAliases _outboundAliases;
    private Task _reader = Task.CompletedTask;
    private Task _writer = Task.CompletedTask;
    private Task _dispatcher = Task.CompletedTask;
    private Task _acknowledger = Task.CompletedTask;
    private Task _keepAlive = Task.CompletedTask;
    private readonly TaskCompletionSource _shutDown = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MqttConnection(
        ITransportConnection transport,
        IMqttPacketFormatter formatter,
        SessionState session,
        MqttConnectionSettings settings,
        Func<MqttApplicationMessage, CancellationToken, ValueTask<Task>>? handler,
        TimeProvider time,
        ILogger logger)
    {
        _transport = transport;
        _formatter = formatter;
        _session = session;
        _settings = settings;
        _handler = handler;
        _time = time;
        _logger = logger;
        _lastSendTimestamp = time.GetTimestamp();
        _sendPublish = packet => Enqueue(packet);
        _inboundAliases = new InboundTopicAliases(settings.InboundTopicAliasMaximum);
        _outboundAliases = new OutboundTopicAliases(settings.OutboundTopicAliasMaximum);
        _inbound = Channel.CreateBounded<InboundDelivery>(new BoundedChannelOptions(settings.InboundCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _acks = Channel.CreateBounded<PendingAck>(new BoundedChannelOptions(settings.InboundCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Completes with the reason once the connection is closed, for whatever cause.</summary>
    public Task<string> Closed => _closed.Task;

    public bool IsClosed => _closed.Task.IsCompleted;

    public void Start()
    {
        var token = _stop.Token;
        _writer = Task.Run(() => WriteLoopAsync(token), CancellationToken.None);
        _dispatcher = Task.Run(() => DispatchLoopAsync(token), CancellationToken.None);
        _acknowledger = Task.Run(() => AcknowledgeLoopAsync(token), CancellationToken.None);
        _reader = Task.Run(() => ReadLoopAsync(token), CancellationToken.None);
        if (_settings.KeepAlive > TimeSpan.Zero)
        {
            _keepAlive = Task.Run(() => KeepAliveLoopAsync(token), CancellationToken.None);
        }
    }

    /// <summary>MQTT 5.0: the broker's Maximum Packet Size from CONNACK (null: no limit).</summary>
    public uint? ServerMaximumPacketSize => _settings.ServerMaximumPacketSize;

    /// <summary>Hands a PUBLISH that got its in-flight slot to this connection's writer.</summary>
    public Action<PublishPacket> SendPublish => _sendPublish;

    /// <summary>Queues a packet for the writer; false if the connection is already closed.</summary>
    public bool Enqueue(MqttPacket packet) => _outgoing.Writer.TryWrite(new OutgoingPacket(packet, null));

    /// <summary>Queues a packet and completes when it was written (true) or the connection closed first (false).</summary>
    public Task<bool> SendAsync(MqttPacket packet)
    {
        var written = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_outgoing.Writer.TryWrite(new OutgoingPacket(packet, written)))
        {
            written.TrySetResult(false);
        }

        return written.Task;
    }

    /// <summary>SUBSCRIBE or UNSUBSCRIBE: allocates the id, sends, and waits for SUBACK/UNSUBACK.</summary>
    public async Task<MqttPacket> RequestAsync(Func<ushort, MqttPacket> create, CancellationToken cancellationToken)
    {
        var (id, response) = _session.BeginRequest();
        if (!Enqueue(create(id)))
        {
            _session.FailRequests("the connection is closed");
        }

        return await response.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends DISCONNECT (waiting at most <paramref name="timeout"/>), then closes.</summary>
    public async Task DisconnectAsync(TimeSpan timeout)
    {
        var started = _time.GetTimestamp();
        try
        {
            // Acknowledgements whose messages were accepted go out before DISCONNECT; the rest the broker sends again.
            await FlushAcknowledgementsAsync().WaitAsync(timeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogDebug("{Count} received messages were not accepted within {Timeout}; the broker will send them again", Volatile.Read(ref _acksPending), timeout);
        }

        try
        {
            var left = timeout - _time.GetElapsedTime(started);
            await SendAsync(DisconnectPacket.Instance).WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(100), _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogDebug("DISCONNECT was not written within {Timeout}", timeout);
        }

        Close("the client disconnected");
    }

    /// <summary>Closes the connection (first reason wins): stops the loops, then closes the socket.</summary>
    public void Close(string reason)
    {
        if (!_closed.TrySetResult(reason))
        {
            return;
        }

        _stop.Cancel();
        _outgoing.Writer.TryComplete();
        _inbound.Writer.TryComplete();
        _acks.Writer.TryComplete();
        _session.FailRequests(reason);
        _ = ShutdownAsync();
    }

    /// <summary>Closes and waits until every loop ended, the message handler included (cancelled through its token),
    /// so the next connection never runs the handler concurrently with this one.</summary>
    public async ValueTask DisposeAsync()
    {
        Close("the client was disposed");
        await Task.WhenAll(_shutDown.Task, _keepAlive).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task ShutdownAsync()
    {
        try
        {
            await Task.WhenAll(_reader, _writer).ConfigureAwait(false);
            while (_outgoing.Reader.TryRead(out var unsent))
            {
                unsent.Written?.TrySetResult(false);
            }

            // The socket closes now; the dispatcher may still be inside a handler (its token is cancelled).
            await _transport.DisposeAsync().ConfigureAwait(false);
            await Task.WhenAll(_dispatcher, _acknowledger).ConfigureAwait(false);
            _session.ForgetUnhandledIncoming();
        }
        finally
        {
            _shutDown.TrySetResult();
        }
    }
}
