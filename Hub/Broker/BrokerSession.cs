using Hub.Mqtt.Packets;

namespace Hub.Broker;

/// <summary>
/// The broker's state for one client id: subscriptions, messages queued for it, messages in flight to it and
/// QoS 2 ids received from it. It outlives connections when the client asked for a persistent session.
/// Everything is guarded by <see cref="Gate"/>; sending only enqueues on the connection, so holding it is short.
/// </summary>
internal sealed class BrokerSession(string clientId, BrokerOptions limits)
{
    private readonly int _maxQueued = limits.MaxQueuedMessages;
    private readonly long _maxQueuedBytes = limits.MaxQueuedBytes;
    private readonly LinkedList<OutgoingMessage> _pending = new();
    private long _pendingBytes;
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

    /// <summary>Bytes (payload and topic) of the messages waiting beyond the in-flight window, bounded by <c>max_queued_bytes</c>.</summary>
    public long QueuedBytes { get { lock (Gate) { return _pendingBytes; } } }

    public IEnumerable<OutgoingMessage> Pending => _pending;

    public IEnumerable<OutgoingMessage> Inflight => _inflight.Values.OrderBy(m => m.Sequence);

    /// <summary>
    /// Hands one message to the client: sent now (QoS 0, or a free in-flight slot), else queued. Checked under the gate against
    /// the session's subscriptions, so once UNSUBSCRIBE removed <paramref name="subscription"/> (before its UNSUBACK is queued)
    /// nothing that matched it earlier can still be queued behind that UNSUBACK.
    /// </summary>
    /// <returns>False when the message was not taken; <paramref name="dropped"/> counts messages dropped (queue full, QoS 0 while offline or backed up).</returns>
    public bool Deliver(OutgoingMessage message, BrokerSubscription? subscription, out int dropped)
    {
        dropped = 0;
        lock (Gate)
        {
            if (subscription is not null && !Subscriptions.ContainsKey(subscription.FullFilter))
            {
                return false;
            }

            var connection = _connection;
            if (message.Qos == 0)
            {
                if (connection is not null && connection.TrySendQos0(message))
                {
                    return true;
                }

                dropped = 1;
                return false;
            }

            Dirty = true;
            if (connection is not null && _pending.Count == 0 && _inflight.Count < connection.SendWindow)
            {
                Send(connection, message);
                return true;
            }

            Enqueue(message);
            var taken = true;
            while (_pending.First is { } oldest && IsOverLimit())
            {
                Dequeue(); // drop-oldest: the freshest data is worth more to a late reader
                taken &= !ReferenceEquals(oldest.Value, message);
                dropped++;
            }

            Fill();
            return taken;
        }
    }

    /// <summary>0 = no maximum for either limit, as in mosquitto; with both set the first reached applies.</summary>
    private bool IsOverLimit() => (_maxQueued > 0 && _pending.Count > _maxQueued) || (_maxQueuedBytes > 0 && _pendingBytes > _maxQueuedBytes);

    private static long QueuedSize(OutgoingMessage message) => message.Message.Payload.Length + message.Message.Topic.Length;

    private void Enqueue(OutgoingMessage message)
    {
        _pending.AddLast(message);
        _pendingBytes += QueuedSize(message);
    }

    private OutgoingMessage Dequeue()
    {
        var first = _pending.First!.Value;
        _pending.RemoveFirst();
        _pendingBytes -= QueuedSize(first);
        return first;
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
                    _pendingBytes -= QueuedSize(node.Value);
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
                Enqueue(message);
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
        while (_pending.Count > 0 && _inflight.Count < connection.SendWindow)
        {
            var first = Dequeue();
            if (!first.Message.IsExpired(now))
            {
                Send(connection, first);
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
