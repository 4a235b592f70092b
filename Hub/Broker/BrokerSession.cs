using Hub.Mqtt.Packets;

namespace Hub.Broker;

/// <summary>
/// The broker's state for one client id: subscriptions, messages queued for it, messages in flight to it and
/// QoS 2 ids received from it. It outlives connections when the client asked for a persistent session.
/// Everything is guarded by <see cref="Gate"/>; sending only enqueues on the connection, so holding it is short.
/// </summary>
internal sealed class BrokerSession(string clientId, int maxQueued)
{
    private readonly LinkedList<OutgoingMessage> _pending = new();
    private readonly Dictionary<ushort, OutgoingMessage> _inflight = [];
    private long _sequence;
    private ushort _lastId;
    private volatile BrokerConnection? _connection;

    public string ClientId { get; } = clientId;

    public Lock Gate { get; } = new();

    public Dictionary<string, BrokerSubscription> Subscriptions { get; } = new(StringComparer.Ordinal);

    public HashSet<ushort> IncomingQos2 { get; } = [];

    /// <summary>The user name of the connection that last had the session (for ACL checks on delivery).</summary>
    public string? Username { get; set; }

    public BrokerConnection? Connection => _connection;

    public bool IsConnected => _connection is not null;

    /// <summary>Seconds the session lives after its connection ends; <see cref="uint.MaxValue"/> = forever, 0 = it ends with the connection.</summary>
    public uint ExpiryInterval { get; set; }

    /// <summary>When the session ends if nobody reconnects (set while disconnected).</summary>
    public ITimer? ExpiryTimer { get; set; }

    /// <summary>A will waiting for its delay to pass (5.0 Will Delay Interval).</summary>
    public ITimer? WillTimer { get; set; }

    /// <summary>The ended connection whose delayed will is waiting in <see cref="WillTimer"/>.</summary>
    public BrokerConnection? PendingWill { get; set; }

    /// <summary>Changed since it was last written to disk.</summary>
    public bool Dirty { get; set; } = true;

    public int QueuedCount { get { lock (Gate) { return _pending.Count + _inflight.Count; } } }

    public IEnumerable<OutgoingMessage> Pending => _pending;

    public IEnumerable<OutgoingMessage> Inflight => _inflight.Values.OrderBy(m => m.Sequence);

    /// <summary>Hands one message to the client: sent now (QoS 0, or a free in-flight slot), else queued.</summary>
    /// <returns>False when a message was dropped (queue full, QoS 0 while offline or backed up).</returns>
    public bool Deliver(OutgoingMessage message)
    {
        lock (Gate)
        {
            var connection = _connection;
            if (message.Qos == 0)
            {
                return connection is not null && connection.TrySendQos0(message);
            }

            Dirty = true;
            if (connection is not null && _pending.Count == 0 && _inflight.Count < connection.SendWindow)
            {
                Send(connection, message);
                return true;
            }

            var dropped = false;
            if (_pending.Count >= maxQueued)
            {
                _pending.RemoveFirst(); // drop-oldest: the freshest data is worth more to a late reader
                dropped = true;
            }

            if (maxQueued > 0)
            {
                _pending.AddLast(message);
                Fill();
            }

            return !dropped && maxQueued > 0;
        }
    }

    /// <summary>PUBACK, or PUBCOMP, or a failed PUBREC (5.0): the message is done; the window moves on. False when the id is unknown.</summary>
    public bool Complete(ushort packetId)
    {
        lock (Gate)
        {
            if (!_inflight.Remove(packetId))
            {
                return false;
            }

            Dirty = true;
            Fill();
            return true;
        }
    }

    /// <summary>PUBREC: the QoS 2 message arrived; PUBREL goes out. False when the id is unknown.</summary>
    public bool Release(ushort packetId)
    {
        lock (Gate)
        {
            if (!_inflight.TryGetValue(packetId, out var message))
            {
                return false;
            }

            message.Released = true;
            Dirty = true;
            _connection?.Enqueue(new PubRelPacket(packetId));
            return true;
        }
    }

    /// <summary>A connection takes the session over: unacknowledged messages go again (DUP), owed PUBRELs too, then the queue.</summary>
    public void Attach(BrokerConnection connection)
    {
        lock (Gate)
        {
            _connection = connection;
            foreach (var message in Inflight.ToList())
            {
                if (message.Released)
                {
                    connection.Enqueue(new PubRelPacket(message.PacketId));
                }
                else if (!connection.TrySendPublish(message, dup: true))
                {
                    _inflight.Remove(message.PacketId);
                }
            }

            Fill();
        }
    }

    /// <summary>The connection ended. Returns the unacknowledged messages that came through shared subscriptions (to go to another member).</summary>
    public List<OutgoingMessage> Detach(BrokerConnection connection)
    {
        var orphans = new List<OutgoingMessage>();
        lock (Gate)
        {
            if (!ReferenceEquals(_connection, connection))
            {
                return orphans;
            }

            _connection = null;
            foreach (var message in _inflight.Values.Where(m => m.ShareKey is not null && !m.Released).ToList())
            {
                _inflight.Remove(message.PacketId);
                orphans.Add(message);
            }

            for (var node = _pending.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.ShareKey is not null)
                {
                    orphans.Add(node.Value);
                    _pending.Remove(node);
                }

                node = next;
            }

            Dirty = true;
            return orphans;
        }
    }

    /// <summary>Restores a persisted message (queued or in flight with its packet id).</summary>
    public void Restore(OutgoingMessage message, bool inflight)
    {
        lock (Gate)
        {
            message.Sequence = ++_sequence;
            if (inflight && message.PacketId != 0)
            {
                _inflight[message.PacketId] = message;
                _lastId = message.PacketId;
            }
            else
            {
                _pending.AddLast(message);
            }
        }
    }

    /// <summary>Moves queued messages into free in-flight slots. Caller holds the gate.</summary>
    private void Fill()
    {
        var connection = _connection;
        if (connection is null)
        {
            return;
        }

        var now = connection.Now;
        while (_pending.First is { } first && _inflight.Count < connection.SendWindow)
        {
            _pending.RemoveFirst();
            if (!first.Value.Message.IsExpired(now))
            {
                Send(connection, first.Value);
            }
        }
    }

    private void Send(BrokerConnection connection, OutgoingMessage message)
    {
        message.PacketId = NextId();
        message.Sequence = ++_sequence;
        message.Released = false;
        _inflight[message.PacketId] = message;
        if (!connection.TrySendPublish(message, dup: false))
        {
            _inflight.Remove(message.PacketId);
        }
    }

    private ushort NextId()
    {
        do
        {
            _lastId = _lastId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastId + 1);
        }
        while (_inflight.ContainsKey(_lastId));
        return _lastId;
    }
}
