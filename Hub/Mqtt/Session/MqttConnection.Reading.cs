using System.Diagnostics;
using System.Threading.Channels;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;
using Microsoft.Extensions.Logging;

namespace Hub.Mqtt.Session;

/// <summary>The reader and the dispatcher.</summary>
internal sealed partial class MqttConnection
{
    private bool _readerPaused;
    private int _inboundUnacknowledged;

    /// <summary>One QoS 1 message acknowledged (PUBACK) or QoS 2 flow completed (PUBCOMP): one less against our Receive Maximum.
    /// A PUBREL for a flow begun on an earlier connection has no count here: the count never goes below zero.</summary>
    private void OnInboundAcknowledged()
    {
        if (Interlocked.Decrement(ref _inboundUnacknowledged) < 0)
        {
            Interlocked.Exchange(ref _inboundUnacknowledged, 0);
        }
    }
    private int _acksPending;

    /// <summary>Messages handed to the dispatcher and not yet through it; while there are any, the reader queues behind them.</summary>
    private int _dispatchBacklog;

    /// <summary>The packet being handled is the last one read so far: nothing else waits in the buffer.</summary>
    private bool _caughtUp;

    /// <summary>A PUBLISH this long after the one before is not part of a burst: routing it inline saves a hop and costs
    /// no parallelism (in a burst the dispatcher routes while the reader parses, which is faster on two cores).</summary>
    private static readonly long QuietTicks = Stopwatch.Frequency / 4000;

    private long _lastPublishTimestamp;

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var input = _transport.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    while (!cancellationToken.IsCancellationRequested && MqttFrameReader.TryRead(ref buffer, _settings.MaxPacketSize, out var frame))
                    {
                        var packet = _formatter.Decode(frame);
                        if (_logger.IsEnabled(LogLevel.Trace))
                        {
                            _logger.LogTrace("Received {Packet}", packet);
                        }

                        // Routing inline pays off for a lone message; in a burst the dispatcher routes while this loop parses.
                        _caughtUp = buffer.IsEmpty;
                        var handled = HandleAsync(packet, cancellationToken);
                        if (!handled.IsCompletedSuccessfully)
                        {
                            await handled.ConfigureAwait(false);
                        }
                    }

                    if (result.IsCompleted || result.IsCanceled)
                    {
                        Close(buffer.IsEmpty ? "the broker closed the connection" : "the broker closed the connection in the middle of a packet");
                        return;
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (MqttProtocolException ex)
        {
            Close($"protocol error: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            Close($"read failed: {ex.Message}");
        }
    }

    private ValueTask HandleAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        switch (packet)
        {
            case PublishPacket received:
                var publish = _inboundAliases.Resolve(received);
                var deliver = publish.Message.Qos < 2 || _session.TryBeginIncomingQos2(publish.PacketId);
                if (publish.Message.Qos > 0 && deliver && _settings.InboundReceiveMaximum > 0
                    && Interlocked.Increment(ref _inboundUnacknowledged) > _settings.InboundReceiveMaximum)
                {
                    throw new MqttProtocolException($"The broker sent more unacknowledged QoS 1/2 messages than our Receive Maximum of {_settings.InboundReceiveMaximum} (0x93 Receive Maximum exceeded).");
                }

                var delivery = new InboundDelivery(publish, deliver);
                if (_settings.HandsOn)
                {
                    return HandOnAsync(delivery, cancellationToken);
                }

                var now = Stopwatch.GetTimestamp();
                var quiet = now - _lastPublishTimestamp > QuietTicks;
                _lastPublishTimestamp = now;
                if (quiet && _caughtUp && Volatile.Read(ref _dispatchBacklog) == 0)
                {
                    DispatchInline(delivery, cancellationToken);
                    return default;
                }

                Interlocked.Increment(ref _dispatchBacklog);
                return _inbound.Writer.TryWrite(delivery) ? default : WaitForRoomAsync(delivery, cancellationToken);
            case PubAckPacket ack:
                _session.OnPubAck(ack.PacketId, Refusal(MqttPacketType.PubAck, (byte)ack.ReasonCode, ack.Properties), _sendPublish);
                break;
            case PubRecPacket rec:
                if (_session.OnPubRec(rec.PacketId, Refusal(MqttPacketType.PubRec, (byte)rec.ReasonCode, rec.Properties), _sendPublish))
                {
                    Enqueue(new PubRelPacket(rec.PacketId));
                }

                break;
            case PubCompPacket comp:
                _session.OnPubComp(comp.PacketId, _sendPublish);
                break;
            case PubRelPacket rel:
                _session.EndIncomingQos2(rel.PacketId);
                OnInboundAcknowledged();
                Enqueue(new PubCompPacket(rel.PacketId));
                break;
            case SubAckPacket subAck:
                _session.CompleteRequest(subAck.PacketId, subAck);
                break;
            case UnsubAckPacket unsubAck:
                _session.CompleteRequest(unsubAck.PacketId, unsubAck);
                break;
            case PingRespPacket:
                Volatile.Read(ref _pingResponse)?.TrySetResult();
                break;
            case DisconnectPacket disconnect:
                // MQTT 5.0: the server says why it ends the connection.
                throw new IOException($"The broker disconnected: {MqttReasonCodes.Describe(MqttPacketType.Disconnect, (byte)disconnect.ReasonCode)}"
                    + (disconnect.Properties.ReasonString is { Length: > 0 } reason ? $" ({reason})" : "")
                    + (disconnect.Properties.ServerReference is { Length: > 0 } reference ? $"; use another server: {reference}" : ""));
            default:
                throw new MqttProtocolException($"A broker must not send {packet.Type} here.");
        }

        return default;
    }

    /// <summary>MQTT 5.0: a PUBACK/PUBREC reason code of 0x80 and up refuses that one message, in words.</summary>
    private static MqttPublishRejectedException? Refusal(MqttPacketType packet, byte code, MqttProperties properties) =>
        MqttReasonCodes.IsFailure(code)
            ? new MqttPublishRejectedException(
                $"The broker refused the message: {MqttReasonCodes.Describe(packet, code)} ({packet.ToString().ToUpperInvariant()} reason code 0x{code:X2})"
                + (properties.ReasonString is { Length: > 0 } reason ? $": {reason}" : ""),
                code,
                isTransient: code is 0x80 or 0x97)
            : null;

    /// <summary>The queue to the handler is full: stop reading (TCP pushes back on the broker) until there is room.</summary>
    private async ValueTask WaitForRoomAsync(InboundDelivery delivery, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _readerPaused, true);
        try
        {
            await _inbound.Writer.WriteAsync(delivery, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _readerPaused, false);
        }
    }

    /// <summary>
    /// The dispatcher has nothing to do and nothing else was read: the reader calls the handler itself, which saves a
    /// thread hop per message.
    /// When the handler does not finish at once (a full target queue, a watchdog), or the acknowledgement queue is
    /// full, the dispatcher takes the message over, and everything read after it queues behind it: the order holds.
    /// </summary>
    private void DispatchInline(InboundDelivery delivery, CancellationToken cancellationToken)
    {
        var publish = delivery.Packet;
        var accepted = Task.CompletedTask;
        if (delivery.Deliver && _handler is not null)
        {
            ValueTask<Task> routing;
            try
            {
                routing = _handler(publish.Message, cancellationToken);
            }
#pragma warning disable CA1031 // The dispatcher logs it and goes on, as for a call it made itself.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                routing = ValueTask.FromException<Task>(ex);
            }

            if (!routing.IsCompletedSuccessfully)
            {
                HandOver(delivery with { Routing = routing.AsTask() });
                return;
            }

            accepted = routing.Result;
        }

        if (publish.Message.Qos == 0)
        {
            return;
        }

        if (accepted.IsCompleted && Volatile.Read(ref _acksPending) == 0)
        {
            Acknowledge(publish);
            return;
        }

        Interlocked.Increment(ref _acksPending);
        if (!_acks.Writer.TryWrite(new PendingAck(publish, accepted, null)))
        {
            Interlocked.Decrement(ref _acksPending);
            HandOver(delivery with { Routing = Task.FromResult(accepted) });
        }
    }

    /// <summary>
    /// A handler that only hands messages on (to the route workers) is called by the reader itself: a dispatcher between
    /// them would be one more thread hop per message and nothing else. The order holds (one reader), a handler that waits
    /// (its queue is full) pauses reading as a full dispatcher queue did, and the acknowledgements go out in arrival order.
    /// </summary>
    private ValueTask HandOnAsync(InboundDelivery delivery, CancellationToken cancellationToken)
    {
        var publish = delivery.Packet;
        if (!delivery.Deliver || _handler is null)
        {
            return OweAcknowledgement(publish, Task.CompletedTask, cancellationToken);
        }

        ValueTask<Task> routing;
        try
        {
            routing = _handler(publish.Message, cancellationToken);
        }
#pragma warning disable CA1031 // As on the dispatcher: logged, and the message is acknowledged anyway.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "The message handler failed for a message on {Topic}", publish.Message.Topic);
            return OweAcknowledgement(publish, Task.CompletedTask, cancellationToken);
        }

        return routing.IsCompletedSuccessfully
            ? OweAcknowledgement(publish, routing.Result, cancellationToken)
            : WaitForHandOffAsync(publish, routing, cancellationToken);
    }

    private async ValueTask WaitForHandOffAsync(PublishPacket publish, ValueTask<Task> routing, CancellationToken cancellationToken)
    {
        var accepted = Task.CompletedTask;
        Volatile.Write(ref _readerPaused, true);
        try
        {
            accepted = await routing.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // As on the dispatcher: logged, and the message is acknowledged anyway.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "The message handler failed for a message on {Topic}", publish.Message.Topic);
        }
        finally
        {
            Volatile.Write(ref _readerPaused, false);
        }

        await OweAcknowledgement(publish, accepted, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>QoS 1/2: acknowledged now when accepted and nothing waits before it, else queued behind the ones that do.</summary>
    private ValueTask OweAcknowledgement(PublishPacket publish, Task accepted, CancellationToken cancellationToken)
    {
        if (publish.Message.Qos == 0)
        {
            return default;
        }

        if (accepted.IsCompleted && Volatile.Read(ref _acksPending) == 0)
        {
            Acknowledge(publish);
            return default;
        }

        Interlocked.Increment(ref _acksPending);
        var pending = new PendingAck(publish, accepted, null);
        return _acks.Writer.TryWrite(pending) ? default : WaitForAckRoomAsync(pending, cancellationToken);
    }

    private async ValueTask WaitForAckRoomAsync(PendingAck pending, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _readerPaused, true);
        try
        {
            await _acks.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _readerPaused, false);
        }
    }

    /// <summary>Queues a message the reader began for the dispatcher; the queue is empty (nothing was behind), so there is room.</summary>
    private void HandOver(InboundDelivery delivery)
    {
        Interlocked.Increment(ref _dispatchBacklog);
        if (!_inbound.Writer.TryWrite(delivery))
        {
            // Only when the connection is closing: the channel was completed.
            Interlocked.Decrement(ref _dispatchBacklog);
        }
    }

    private async Task DispatchLoopAsync(CancellationToken cancellationToken)
    {
        var reader = _inbound.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var delivery))
                {
                    try
                    {
                        await DispatchAsync(delivery, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _dispatchBacklog);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ChannelClosedException)
        {
            // the connection closed while a message waited for room in the acknowledgement queue
        }
    }

    private async Task DispatchAsync(InboundDelivery delivery, CancellationToken cancellationToken)
    {
        var publish = delivery.Packet;
        var accepted = Task.CompletedTask;
        if (delivery.Deliver && _handler is not null)
        {
            try
            {
                accepted = delivery.Routing is { } routing
                    ? await routing.ConfigureAwait(false)
                    : await _handler(publish.Message, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failing handler must not stop the session; the message is acknowledged anyway.
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                _logger.LogError(ex, "The message handler failed for a message on {Topic}", publish.Message.Topic);
            }
        }
        else if (delivery.Routing is { } acceptance)
        {
            accepted = await acceptance.ConfigureAwait(false);
        }

        if (publish.Message.Qos == 0)
        {
            return;
        }

        // In arrival order: straight away when nothing waits before it, else behind the ones that do.
        if (accepted.IsCompleted && Volatile.Read(ref _acksPending) == 0)
        {
            Acknowledge(publish);
        }
        else
        {
            Interlocked.Increment(ref _acksPending);
            await _acks.Writer.WriteAsync(new PendingAck(publish, accepted, null), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends each waiting acknowledgement once its message is accepted, in arrival order.</summary>
    private async Task AcknowledgeLoopAsync(CancellationToken cancellationToken)
    {
        var reader = _acks.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var pending))
                {
                    if (pending.Flushed is { } flushed)
                    {
                        flushed.TrySetResult();
                        continue;
                    }

                    try
                    {
                        await pending.Accepted.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }
#pragma warning disable CA1031 // As for a failing handler: logged, and the message is acknowledged anyway.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        _logger.LogError(ex, "Accepting the message on {Topic} failed", pending.Packet!.Message.Topic);
                    }

                    Acknowledge(pending.Packet!);
                    Interlocked.Decrement(ref _acksPending);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Completes when every acknowledgement owed so far has been queued for the writer.</summary>
    private Task FlushAcknowledgementsAsync()
    {
        if (Volatile.Read(ref _acksPending) == 0)
        {
            return Task.CompletedTask;
        }

        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _acks.Writer.TryWrite(new PendingAck(null, Task.CompletedTask, flushed)) ? flushed.Task : Task.CompletedTask;
    }

    private void Acknowledge(PublishPacket publish)
    {
        switch (publish.Message.Qos)
        {
            case 1:
                Enqueue(new PubAckPacket(publish.PacketId));
                OnInboundAcknowledged();
                break;
            case 2:
                _session.MarkPubRecSent(publish.PacketId);
                Enqueue(new PubRecPacket(publish.PacketId));
                break;
        }
    }
}
