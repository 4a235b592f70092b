namespace Hub.Broker;

/// <summary>Counters for <c>$SYS/broker/...</c> and logs; updated with interlocked operations from every connection.</summary>
internal sealed class BrokerStatistics
{
    private long _messagesReceived;
    private long _messagesSent;
    private long _bytesReceived;
    private long _bytesSent;
    private long _messagesDropped;
    private long _protocolErrors;
    private long _connectionsRefused;
    private int _clientsConnected;
    private int _clientsMaximum;

    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Messages not delivered to a client because its queue was full (or QoS 0 while it was backed up or offline).</summary>
    public long MessagesDropped => Interlocked.Read(ref _messagesDropped);

    /// <summary>Connections closed for a malformed or hostile packet.</summary>
    public long ProtocolErrors => Interlocked.Read(ref _protocolErrors);

    /// <summary>Connections refused: over <c>max_connections</c>, bad CONNECT, bad credentials.</summary>
    public long ConnectionsRefused => Interlocked.Read(ref _connectionsRefused);

    public int ClientsConnected => Volatile.Read(ref _clientsConnected);

    public int ClientsMaximum => Volatile.Read(ref _clientsMaximum);

    public void MessageReceived(long bytes)
    {
        Interlocked.Increment(ref _messagesReceived);
        Interlocked.Add(ref _bytesReceived, bytes);
    }

    public void BytesIn(long bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    public void MessageSent() => Interlocked.Increment(ref _messagesSent);

    public void BytesOut(long bytes) => Interlocked.Add(ref _bytesSent, bytes);

    public void Dropped() => Interlocked.Increment(ref _messagesDropped);

    public void ProtocolError() => Interlocked.Increment(ref _protocolErrors);

    public void Refused() => Interlocked.Increment(ref _connectionsRefused);

    public void Connected()
    {
        var now = Interlocked.Increment(ref _clientsConnected);
        int max;
        while (now > (max = Volatile.Read(ref _clientsMaximum)) && Interlocked.CompareExchange(ref _clientsMaximum, now, max) != max)
        {
        }
    }

    public void Disconnected() => Interlocked.Decrement(ref _clientsConnected);
}
