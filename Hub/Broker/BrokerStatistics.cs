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
    private readonly long[] _closed = new long[Enum.GetValues<BrokerCloseReason>().Length];
    private int _pendingConnections;
    private long _pendingInputBytes;
    private long _pendingInputBytesPeak;
    private long _inputBytesPeak;
    private long _outputBytesPeak;
    private long _readPauses;

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

    /// <summary>Connections ended for <paramref name="reason"/> since the start.</summary>
    public long Closed(BrokerCloseReason reason) => Interlocked.Read(ref _closed[(int)reason]);

    /// <summary>Open connections whose CONNECT has not been accepted yet.</summary>
    public int PendingConnections => Volatile.Read(ref _pendingConnections);

    /// <summary>Bytes the not-yet-connected connections hold together now (received, not yet a whole CONNECT).</summary>
    public long PendingInputBytes => Interlocked.Read(ref _pendingInputBytes);

    /// <summary>The most <see cref="PendingInputBytes"/> has been since the start.</summary>
    public long PendingInputBytesPeak => Interlocked.Read(ref _pendingInputBytesPeak);

    /// <summary>The most bytes one connection has held of an incomplete packet since the start.</summary>
    public long InputBytesPeak => Interlocked.Read(ref _inputBytesPeak);

    /// <summary>The most bytes one connection has had waiting to be written to it since the start.</summary>
    public long OutputBytesPeak => Interlocked.Read(ref _outputBytesPeak);

    /// <summary>How often reading from a client paused because too many of its acknowledgements were unwritten (it does not read).</summary>
    public long ReadPauses => Interlocked.Read(ref _readPauses);

    public void ConnectionClosed(BrokerCloseReason reason) => Interlocked.Increment(ref _closed[(int)reason]);

    public void PendingConnection(int delta) => Interlocked.Add(ref _pendingConnections, delta);

    public void PendingInput(long delta)
    {
        if (delta != 0)
        {
            RaisePeak(ref _pendingInputBytesPeak, Interlocked.Add(ref _pendingInputBytes, delta));
        }
    }

    public void InputHeld(long bytes) => RaisePeak(ref _inputBytesPeak, bytes);

    public void OutputWaiting(long bytes) => RaisePeak(ref _outputBytesPeak, bytes);

    public void ReadPaused() => Interlocked.Increment(ref _readPauses);

    private static void RaisePeak(ref long peak, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, value, seen) != seen)
        {
        }
    }

    public void MessageReceived(long bytes)
    {
        Interlocked.Increment(ref _messagesReceived);
        Interlocked.Add(ref _bytesReceived, bytes);
    }

    public void BytesIn(long bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    public void MessageSent() => Interlocked.Increment(ref _messagesSent);

    public void BytesOut(long bytes) => Interlocked.Add(ref _bytesSent, bytes);

    public void Dropped(long count = 1) => Interlocked.Add(ref _messagesDropped, count);

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
