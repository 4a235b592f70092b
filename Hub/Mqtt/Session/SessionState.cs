using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Session;

/// <summary>
/// The client side of an MQTT session, kept across network connections: packet ids, outgoing
/// QoS 1/2 flows, incoming QoS 2 ids awaiting PUBREL, and pending SUBSCRIBE/UNSUBSCRIBE requests.
/// </summary>
internal sealed class SessionState
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ushort, OutgoingFlight> _outgoing = [];
    private readonly Queue<OutgoingFlight> _waiting = new();
    private readonly int _configuredMaxInflight;
    private int _maxInflight;
    private readonly Dictionary<ushort, TaskCompletionSource<MqttPacket>> _requests = [];

    // Incoming QoS 2 ids until PUBREL; the value says whether PUBREC was sent (the handler finished).
    private readonly Dictionary<ushort, bool> _incomingQos2 = [];
    private readonly PacketIdAllocator _ids;
    private readonly Func<ushort, bool> _isInUse;
    private long _sequence;

    /// <param name="ids">The id source (tests start it near the wrap).</param>
    /// <param name="maxInflight">QoS 1/2 PUBLISHes awaiting acknowledgement at once; more wait in FIFO order.</param>
    public SessionState(PacketIdAllocator? ids = null, int maxInflight = 1024)
    {
        _ids = ids ?? new PacketIdAllocator();
        _maxInflight = _configuredMaxInflight = Math.Clamp(maxInflight, 1, ushort.MaxValue - 16); // leave ids for SUBSCRIBE/UNSUBSCRIBE
        _isInUse = id => _outgoing.ContainsKey(id) || _requests.ContainsKey(id);
    }

    public int OutgoingCount
    {
        get
        {
            lock (_gate)
            {
                return _outgoing.Count;
            }
        }
    }

    /// <summary>Registers a QoS 1/2 message. When an in-flight slot is free it gets its id at once
    /// and goes to <paramref name="send"/> (called under the session lock, so sends keep id order); otherwise
    /// it waits in line and is sent when an acknowledgement frees a slot.</summary>
    public OutgoingFlight BeginPublish(MqttApplicationMessage message, Action<PublishPacket>? send = null)
    {
        lock (_gate)
        {
            var flight = new OutgoingFlight(message);
            if (_outgoing.Count < _maxInflight && _waiting.Count == 0)
            {
                var packet = ActivateLocked(flight);
                send?.Invoke(packet);
            }
            else
            {
                _waiting.Enqueue(flight);
            }

            return flight;
        }
    }

    /// <summary>
    /// MQTT 5.0: the server's Receive Maximum from CONNACK caps the in-flight window of this connection
    /// (null: ours alone). Called before <see cref="PrepareRetransmission"/>.
    /// </summary>
    public void LimitInflight(int? serverReceiveMaximum)
    {
        lock (_gate)
        {
            _maxInflight = serverReceiveMaximum is { } server ? Math.Clamp(server, 1, _configuredMaxInflight) : _configuredMaxInflight;
        }
    }

    /// <summary>QoS 1 done; a waiting PUBLISH that takes the freed slot goes to <paramref name="send"/>.</summary>
    public void OnPubAck(ushort id, Action<PublishPacket>? send = null) => Finish(id, qos: 1, send);

    /// <summary>QoS 1 done, or (reason code 0x80 and up, MQTT 5.0) refused: the publisher gets <paramref name="refusal"/>.</summary>
    public void OnPubAck(ushort id, Exception? refusal, Action<PublishPacket>? send) => Finish(id, qos: 1, send, refusal);

    /// <summary>
    /// QoS 2, PUBREC. True when PUBREL is owed. A refusal (reason code 0x80 and up, MQTT 5.0) ends the flow
    /// at once: no PUBREL, the slot is free, the publisher gets <paramref name="refusal"/>.
    /// </summary>
    public bool OnPubRec(ushort id, Exception? refusal, Action<PublishPacket>? send)
    {
        if (refusal is not null)
        {
            Finish(id, qos: 2, send, refusal);
            return false;
        }

        OnPubRec(id);
        return true;
    }

    /// <summary>QoS 2 done; a waiting PUBLISH that takes the freed slot goes to <paramref name="send"/>.</summary>
    public void OnPubComp(ushort id, Action<PublishPacket>? send = null) => Finish(id, qos: 2, send);

    public void OnPubRec(ushort id)
    {
        lock (_gate)
        {
            if (_outgoing.TryGetValue(id, out var flight) && flight.Message.Qos == 2)
            {
                flight.Released = true;
            }
        }
    }

    /// <summary>
    /// What to send first on a new connection, in original order. Without a session on the broker,
    /// released QoS 2 flows are done (the broker already had the message); PUBLISHes are sent again.
    /// </summary>
    public IReadOnlyList<MqttPacket> PrepareRetransmission(bool sessionPresent)
    {
        lock (_gate)
        {
            if (!sessionPresent)
            {
                _incomingQos2.Clear();
                foreach (var released in _outgoing.Values.Where(f => f.Released).ToList())
                {
                    _outgoing.Remove(released.Packet!.PacketId);
                    released.Complete();
                }
            }

            var packets = _outgoing.Values.OrderBy(f => f.Sequence).Select(f => f.Retransmission).ToList();
            while (_outgoing.Count < _maxInflight && _waiting.TryDequeue(out var next))
            {
                packets.Add(ActivateLocked(next));
            }

            return packets;
        }
    }

    /// <summary>False when this QoS 2 id is already held (a repeated PUBLISH before PUBREL: acknowledge, don't deliver).</summary>
    public bool TryBeginIncomingQos2(ushort id)
    {
        lock (_gate)
        {
            return _incomingQos2.TryAdd(id, false);
        }
    }

    public void MarkPubRecSent(ushort id)
    {
        lock (_gate)
        {
            _incomingQos2[id] = true;
        }
    }

    public void EndIncomingQos2(ushort id)
    {
        lock (_gate)
        {
            _incomingQos2.Remove(id);
        }
    }

    /// <summary>After a connection loss: QoS 2 messages never handed to the application must be accepted again when the broker resends them.</summary>
    public void ForgetUnhandledIncoming()
    {
        lock (_gate)
        {
            foreach (var id in _incomingQos2.Where(e => !e.Value).Select(e => e.Key).ToList())
            {
                _incomingQos2.Remove(id);
            }
        }
    }

    public (ushort Id, Task<MqttPacket> Response) BeginRequest()
    {
        lock (_gate)
        {
            var id = _ids.Next(_isInUse);
            var response = new TaskCompletionSource<MqttPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
            _requests.Add(id, response);
            return (id, response.Task);
        }
    }

    public void CompleteRequest(ushort id, MqttPacket response)
    {
        lock (_gate)
        {
            if (_requests.Remove(id, out var pending))
            {
                pending.TrySetResult(response);
            }
        }
    }

    public void FailRequests(string reason)
    {
        lock (_gate)
        {
            foreach (var pending in _requests.Values)
            {
                pending.TrySetException(new IOException($"Connection lost: {reason}"));
            }

            _requests.Clear();
        }
    }

    private void Finish(ushort id, int qos, Action<PublishPacket>? send, Exception? refusal = null)
    {
        lock (_gate)
        {
            // An acknowledgement for an unknown id (or of the wrong kind) must not corrupt state.
            if (!_outgoing.TryGetValue(id, out var flight) || flight.Message.Qos != qos)
            {
                return;
            }

            _outgoing.Remove(id);
            if (refusal is null)
            {
                flight.Complete();
            }
            else
            {
                flight.Fail(refusal);
            }

            if (_outgoing.Count < _maxInflight && _waiting.TryDequeue(out var next))
            {
                var packet = ActivateLocked(next);
                send?.Invoke(packet);
            }
        }
    }

    private PublishPacket ActivateLocked(OutgoingFlight flight)
    {
        var packet = flight.Activate(_ids.Next(_isInUse), ++_sequence);
        _outgoing.Add(packet.PacketId, flight);
        return packet;
    }
}
