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
    private readonly Dictionary<ushort, TaskCompletionSource<MqttPacket>> _requests = [];

    // Incoming QoS 2 ids until PUBREL; the value says whether PUBREC was sent (the handler finished).
    private readonly Dictionary<ushort, bool> _incomingQos2 = [];
    private readonly PacketIdAllocator _ids;
    private readonly Func<ushort, bool> _isInUse;
    private long _sequence;

    public SessionState(PacketIdAllocator? ids = null)
    {
        _ids = ids ?? new PacketIdAllocator();
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

    public OutgoingFlight BeginPublish(MqttApplicationMessage message)
    {
        lock (_gate)
        {
            var id = _ids.Next(_isInUse);
            var flight = new OutgoingFlight(new PublishPacket(message with { Dup = false }, id), ++_sequence);
            _outgoing.Add(id, flight);
            return flight;
        }
    }

    public void OnPubAck(ushort id) => Finish(id, qos: 1);

    public void OnPubComp(ushort id) => Finish(id, qos: 2);

    public void OnPubRec(ushort id)
    {
        lock (_gate)
        {
            if (_outgoing.TryGetValue(id, out var flight) && flight.Packet.Message.Qos == 2)
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
                    _outgoing.Remove(released.Packet.PacketId);
                    released.Complete();
                }
            }

            return _outgoing.Values.OrderBy(f => f.Sequence).Select(f => f.Retransmission).ToList();
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

    private void Finish(ushort id, int qos)
    {
        lock (_gate)
        {
            // An acknowledgement for an unknown id (or of the wrong kind) must not corrupt state.
            if (_outgoing.TryGetValue(id, out var flight) && flight.Packet.Message.Qos == qos)
            {
                _outgoing.Remove(id);
                flight.Complete();
            }
        }
    }
}
