using System.Threading.Channels;
using Hub.Mqtt;
using Hub.Mqtt.Codec;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;
using Hub.Mqtt.Transport;
using Microsoft.Extensions.Logging;

namespace Hub.Broker;

/// <summary>
/// One client's network connection: a reader task that decodes and handles packets in order, and a single
/// writer that drains the outgoing queue. A malformed or hostile packet closes this connection only.
/// </summary>
internal sealed partial class BrokerConnection
{
    private readonly BrokerEngine _engine;
    private readonly ITransportConnection _transport;
    private readonly Channel<MqttPacket> _outgoing = Channel.CreateUnbounded<MqttPacket>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _readCancellation = new();
    private readonly Dictionary<ushort, string> _topicAliases = [];
    private IMqttPacketFormatter _formatter = MqttPacketFormatters.For(4);
    private int _closed;
    private long _lastReceived;
    private ITimer? _keepAliveTimer;
    private ITimer? _connectTimer;
    private bool _normalDisconnect;
    private string _closeReason = "connection closed by the client";
    private BrokerCloseReason _closeKind = BrokerCloseReason.ConnectionLost;

    public BrokerConnection(BrokerEngine engine, ITransportConnection transport, string remote)
    {
        _engine = engine;
        _transport = transport;
        Remote = remote;
    }

    public string Remote { get; }

    public string ClientId { get; private set; } = "";

    public string? Username { get; private set; }

    public bool IsVersion5 { get; private set; }

    public BrokerSession? Session { get; private set; }

    /// <summary>The will to publish if the connection ends without a normal DISCONNECT.</summary>
    public MqttWill? Will { get; private set; }

    public MqttProperties WillProperties { get; private set; } = MqttProperties.None;

    /// <summary>How many QoS 1/2 messages may be unacknowledged at once: <c>max_inflight</c>, or less if the 5.0 client's Receive Maximum says so.</summary>
    public int SendWindow { get; private set; }

    public DateTimeOffset Now => _engine.Time.GetUtcNow();

    private ILogger Logger => _engine.Logger;

    private string Who => ClientId.Length > 0 ? $"{ClientId} ({Remote})" : Remote;

    /// <summary>Reads and handles packets until the connection ends, then hands the session back to the engine.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var link = stopping.Register(() => Close(MqttReasonCode.ServerShuttingDown, "the broker is stopping", BrokerCloseReason.ServerStopping));
        _lastReceived = _engine.Time.GetTimestamp();
        _connectTimer = _engine.Time.CreateTimer(_ => Close(null, "no CONNECT in time", BrokerCloseReason.ConnectTimeout), null, _engine.Options.ConnectTimeout, Timeout.InfiniteTimeSpan);
        EnterPending();
        var writer = WriteLoopAsync();
        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_readCancellation.IsCancellationRequested)
        {
        }
        catch (MqttProtocolException ex)
        {
            _engine.Statistics.ProtocolError();
            var kind = Session is null
                ? ex.ReasonCode == MqttReasonCode.PacketTooLarge ? BrokerCloseReason.ConnectTooLarge : _protocolFailure ?? BrokerCloseReason.ProtocolError
                : ex.ReasonCode == MqttReasonCode.PacketTooLarge ? BrokerCloseReason.PacketTooLarge : BrokerCloseReason.ProtocolError;
            var message = kind == BrokerCloseReason.ConnectTooLarge ? $"CONNECT larger than max_connect_size ({_engine.Options.MaxConnectSize} bytes)" : ex.Message;
            Logger.LogWarning("Closing the connection of {Client}: {Reason}", Who, message);
            Close(ex.ReasonCode, message, kind, logged: true);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            Close(null, $"read failed: {ex.Message}", BrokerCloseReason.ConnectionLost);
        }
        catch (Exception ex)
        {
            // Any other failure handling this client's bytes is still this client's problem, never the broker's.
            _engine.Statistics.ProtocolError();
            Logger.LogWarning(ex, "Closing the connection of {Client}: unexpected failure handling its packets", Who);
            Close(MqttReasonCode.UnspecifiedError, ex.Message, BrokerCloseReason.ProtocolError, logged: true);
        }
        finally
        {
            Close(null, _closeReason, BrokerCloseReason.ConnectionLost);
            SetInputHeld(0);
            LeavePending();
            _keepAliveTimer?.Dispose();
            _connectTimer?.Dispose();
            await FinishWritingAsync(writer).ConfigureAwait(false);
            await _transport.DisposeAsync().ConfigureAwait(false);
            _engine.OnConnectionClosed(this, sendWill: !_normalDisconnect);
            _readCancellation.Dispose();
        }
    }

    /// <summary>Ends the connection (counted under <paramref name="kind"/>); a 5.0 client first gets DISCONNECT with <paramref name="reason"/> when given.</summary>
    public void Close(MqttReasonCode? reason, string why, BrokerCloseReason kind, bool logged = false)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }

        _closeReason = why;
        _closeKind = kind;
        _engine.Statistics.ConnectionClosed(kind);
        if (!logged && ClientId.Length > 0)
        {
            Logger.LogDebug("Connection of {Client} closed: {Reason}", Who, why);
        }

        if (reason is { } code && IsVersion5 && Session is not null)
        {
            Enqueue(new DisconnectPacket { ReasonCode = code });
        }

        _outgoing.Writer.TryComplete();
        WakeReader();
        try
        {
            _readCancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Why the connection ended (meaningful once it has).</summary>
    public BrokerCloseReason CloseKind => _closeKind;

    /// <summary>
    /// QoS 0 goes out at once, as in mosquitto, unless <see cref="Qos0Limit"/> bytes or <c>max_queued_messages</c> messages are
    /// already waiting to be written to this client (a reader that stopped reading must not make the broker hold everything for it).
    /// </summary>
    public bool TrySendQos0(OutgoingMessage message)
    {
        if (Volatile.Read(ref _outputBytes) >= Qos0Limit
            || (_engine.Options.MaxQueuedMessages > 0 && Volatile.Read(ref _publishesWaiting) >= _engine.Options.MaxQueuedMessages))
        {
            return false;
        }

        return TrySendPublish(message, dup: false);
    }

    /// <summary>Queues the PUBLISH; false when it would exceed the 5.0 client's Maximum Packet Size (then it is dropped, as §3.1.2.11.4 says).</summary>
    public bool TrySendPublish(OutgoingMessage outgoing, bool dup)
    {
        var message = outgoing.Message;
        var properties = MqttProperties.None;
        if (IsVersion5)
        {
            properties = message.Properties;
            if (message.ExpiresAt is not null || outgoing.SubscriptionIds.Count > 0)
            {
                properties = properties with { MessageExpiryInterval = message.RemainingExpiry(Now), SubscriptionIdentifiers = outgoing.SubscriptionIds };
            }
        }

        var packet = new PublishPacket(new MqttApplicationMessage(message.Topic, message.Payload, outgoing.Qos, outgoing.Retain) { Dup = dup }, outgoing.PacketId)
        {
            Properties = properties,
        };
        if (_clientMaxPacketSize is { } max && EncodedSize(packet) > max)
        {
            return false;
        }

        Enqueue(packet);
        return true;
    }
}
