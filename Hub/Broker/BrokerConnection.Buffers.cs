using Hub.Mqtt.Packets;

namespace Hub.Broker;

/// <summary>
/// What this connection makes the broker hold, counted: bytes of an incomplete packet read from it, and packets waiting
/// to be written to it. The limits that bound both are in docs/broker.md ("Limits and hostile clients").
/// </summary>
internal sealed partial class BrokerConnection
{
    /// <summary>
    /// QoS 0 messages are dropped for a client while this many bytes wait to be written to it (unless <c>max_queued_bytes</c>
    /// is smaller), or <c>max_queued_messages</c> PUBLISH packets (as mosquitto 2.0 does with its outgoing packets).
    /// </summary>
    public const long Qos0BacklogBytes = 64L * 1024 * 1024;

    /// <summary>Reading from a client pauses while more than this many of its acknowledgements wait to be written (it sends but does not read).</summary>
    public const int MaxUnwrittenResponses = 16 * 1024;

    private readonly Lock _roomGate = new();
    private TaskCompletionSource? _roomWaiter;
    private long _outputBytes;
    private int _responsesWaiting;
    private int _publishesWaiting;
    private long _inputHeld;
    private long _pendingHeld;
    private int _pending;

    /// <summary>Bytes received from the client that are not a whole packet yet.</summary>
    public long InputBufferedBytes => Interlocked.Read(ref _inputHeld);

    /// <summary>Bytes of packets queued for the client and not yet taken by its socket (encoded size, estimated).</summary>
    public long OutputBufferedBytes => Interlocked.Read(ref _outputBytes);

    /// <summary>PUBLISH packets queued for the client and not yet taken by its socket.</summary>
    public int PublishesWaiting => Volatile.Read(ref _publishesWaiting);

    /// <summary>True until the CONNECT is accepted (or the connection ends).</summary>
    public bool IsPending => Volatile.Read(ref _pending) == 1;

    private long Qos0Limit => _engine.Options.MaxQueuedBytes is > 0 and var bytes ? Math.Min(bytes, Qos0BacklogBytes) : Qos0BacklogBytes;

    public void Enqueue(MqttPacket packet)
    {
        if (!_outgoing.Writer.TryWrite(packet))
        {
            return;
        }

        _engine.Statistics.OutputWaiting(Interlocked.Add(ref _outputBytes, EstimatedSize(packet)));
        Interlocked.Increment(ref packet is PublishPacket ? ref _publishesWaiting : ref _responsesWaiting);
    }

    /// <summary>The writer handed these packets to the socket.</summary>
    private void Written(long bytes, int publishes, int responses)
    {
        Interlocked.Add(ref _outputBytes, -bytes);
        Interlocked.Add(ref _publishesWaiting, -publishes);
        if (responses > 0 && Interlocked.Add(ref _responsesWaiting, -responses) <= MaxUnwrittenResponses / 2)
        {
            WakeReader();
        }
    }

    /// <summary>Completes when the reader may read on: at once, or once the client has taken half its unwritten acknowledgements.</summary>
    private Task RoomToReadAsync()
    {
        if (Volatile.Read(ref _responsesWaiting) <= MaxUnwrittenResponses)
        {
            return Task.CompletedTask;
        }

        lock (_roomGate)
        {
            if (Volatile.Read(ref _responsesWaiting) <= MaxUnwrittenResponses || Volatile.Read(ref _closed) == 1)
            {
                return Task.CompletedTask;
            }

            _engine.Statistics.ReadPaused();
            _roomWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _roomWaiter.Task;
        }
    }

    private void WakeReader()
    {
        if (Volatile.Read(ref _roomWaiter) is null)
        {
            return;
        }

        lock (_roomGate)
        {
            _roomWaiter?.TrySetResult();
            _roomWaiter = null;
        }
    }

    /// <summary>The size a packet is counted with while it waits: its encoded size, near enough (topic length in characters).</summary>
    private static long EstimatedSize(MqttPacket packet) => packet switch
    {
        PublishPacket publish => publish.Message.Topic.Length + publish.Message.Payload.Length + 9,
        SubAckPacket subAck => subAck.ReturnCodes.Count + 5,
        _ => 4,
    };

    /// <summary>Records how many bytes of an incomplete packet the reader holds now.</summary>
    private void SetInputHeld(long held)
    {
        Interlocked.Exchange(ref _inputHeld, held);
        _engine.Statistics.InputHeld(held);
        var pendingHeld = IsPending ? held : 0;
        _engine.Statistics.PendingInput(pendingHeld - _pendingHeld);
        _pendingHeld = pendingHeld;
    }

    private void EnterPending()
    {
        Volatile.Write(ref _pending, 1);
        _engine.Statistics.PendingConnection(1);
    }

    /// <summary>The CONNECT was accepted or the connection ended: it no longer counts as not yet connected.</summary>
    private void LeavePending()
    {
        if (Interlocked.Exchange(ref _pending, 0) == 1)
        {
            _engine.Statistics.PendingConnection(-1);
            _engine.Statistics.PendingInput(-_pendingHeld);
            _pendingHeld = 0;
        }
    }
}
