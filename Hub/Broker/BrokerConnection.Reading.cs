using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;
using Microsoft.Extensions.Logging;

namespace Hub.Broker;

/// <summary>The reader: cuts frames from the pipe and handles each before reading on.</summary>
internal sealed partial class BrokerConnection
{
    /// <summary>Set when a first byte that is not CONNECT's closes the connection, so it is counted as that.</summary>
    private BrokerCloseReason? _protocolFailure;

    private async Task ReadLoopAsync()
    {
        var input = _transport.Input;
        var token = _readCancellation.Token;
        while (true)
        {
            await RoomToReadAsync().WaitAsync(token).ConfigureAwait(false);
            var result = await input.ReadAsync(token).ConfigureAwait(false);
            var buffer = result.Buffer;
            var paused = false;
            try
            {
                // Before CONNECT only a CONNECT of at most max_connect_size is read: anything else is refused at its first byte.
                // Packets already read wait while too many acknowledgements wait to be written (the client does not read).
                while (CheckFirstByte(buffer)
                    && !(paused = Volatile.Read(ref _responsesWaiting) > MaxUnwrittenResponses)
                    && MqttFrameReader.TryRead(ref buffer, Session is null ? _engine.Options.MaxConnectSize : _engine.Options.MaxPacketSize, out var frame))
                {
                    Volatile.Write(ref _lastReceived, _engine.Time.GetTimestamp());
                    _engine.Statistics.BytesIn(frame.Body.Length + 2);
                    if (Session is null)
                    {
                        HandleConnect(frame);
                    }
                    else
                    {
                        Handle(_formatter.Decode(frame));
                    }

                    if (Volatile.Read(ref _closed) == 1)
                    {
                        return;
                    }
                }
            }
            finally
            {
                SetInputHeld(buffer.Length);
                if (paused)
                {
                    input.AdvanceTo(buffer.Start); // not examined: the next read returns these bytes at once
                }
                else
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                return;
            }
        }
    }

    private bool CheckFirstByte(in System.Buffers.ReadOnlySequence<byte> buffer)
    {
        if (Session is null && new System.Buffers.SequenceReader<byte>(buffer).TryPeek(out var first) && (MqttPacketType)(first >> 4) != MqttPacketType.Connect)
        {
            _protocolFailure = BrokerCloseReason.NotConnectFirst;
            throw new MqttProtocolException($"Protocol error: the first byte 0x{first:X2} is not a CONNECT.", MqttReasonCode.ProtocolError);
        }

        return true;
    }

    private void Handle(MqttPacket packet)
    {
        switch (packet)
        {
            case PublishPacket publish:
                HandlePublish(publish);
                break;
            case PubAckPacket ack:
                Session!.Complete(ack.PacketId);
                break;
            case PubRecPacket rec:
                if (MqttReasonCodes.IsFailure((byte)rec.ReasonCode))
                {
                    Session!.Complete(rec.PacketId);
                }
                else if (!Session!.Release(rec.PacketId))
                {
                    Enqueue(new PubRelPacket(rec.PacketId) { ReasonCode = IsVersion5 ? MqttReasonCode.PacketIdentifierNotFound : MqttReasonCode.Success });
                }

                break;
            case PubRelPacket rel:
                HandlePubRel(rel);
                break;
            case PubCompPacket comp:
                Session!.Complete(comp.PacketId);
                break;
            case SubscribePacket subscribe:
                HandleSubscribe(subscribe);
                break;
            case UnsubscribePacket unsubscribe:
                HandleUnsubscribe(unsubscribe);
                break;
            case PingReqPacket:
                Enqueue(PingRespPacket.Instance);
                break;
            case DisconnectPacket disconnect:
                HandleDisconnect(disconnect);
                break;
            case ConnectPacket:
                throw new MqttProtocolException("Protocol error: a second CONNECT.", MqttReasonCode.ProtocolError);
            default:
                throw new MqttProtocolException($"Protocol error: a client does not send {packet.Type}.", MqttReasonCode.ProtocolError);
        }
    }

    private void HandleDisconnect(DisconnectPacket disconnect)
    {
        if (disconnect.Properties.SessionExpiryInterval is { } expiry)
        {
            if (Session!.ExpiryInterval == 0 && expiry != 0)
            {
                throw new MqttProtocolException("Protocol error: DISCONNECT sets a session expiry after CONNECT set none.", MqttReasonCode.ProtocolError);
            }

            Session!.ExpiryInterval = expiry;
        }

        // 5.0: "Disconnect with Will Message" (0x04) asks for the will to be published all the same.
        _normalDisconnect = disconnect.ReasonCode != MqttReasonCode.DisconnectWithWillMessage;
        Close(null, "DISCONNECT", BrokerCloseReason.ClientDisconnected);
    }

    private void HandlePubRel(PubRelPacket rel)
    {
        bool known;
        lock (Session!.Gate)
        {
            known = Session.IncomingQos2.Remove(rel.PacketId);
            Session.Dirty = true;
        }

        Enqueue(new PubCompPacket(rel.PacketId) { ReasonCode = known || !IsVersion5 ? MqttReasonCode.Success : MqttReasonCode.PacketIdentifierNotFound });
    }

    private void OnKeepAliveTick(TimeSpan limit)
    {
        if (_engine.Time.GetElapsedTime(Volatile.Read(ref _lastReceived)) >= limit)
        {
            Logger.LogInformation("Closing the connection of {Client}: nothing received for {Limit}", Who, limit);
            Close(MqttReasonCode.KeepAliveTimeout, "keep-alive timeout", BrokerCloseReason.KeepAliveTimeout);
        }
    }
}
