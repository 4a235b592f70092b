using System.IO.Pipelines;

namespace Hub.Mqtt.Transport;

/// <summary>
/// The client's connection to its broker: a thread of its own blocks in <see cref="Stream.Read(Span{byte})"/> and
/// hands what it read to the pipe, whose reader (the connection's read loop) continues inline on that thread.
/// </summary>
/// <remarks>
/// Latency: the kernel wakes this thread directly when bytes arrive, and the frame is parsed and routed before the
/// thread reads again. The asynchronous socket path would wake the runtime's event thread first, which then queues the
/// read's continuation to the thread pool: two thread wake-ups per message instead of one, each of which can wait for
/// a busy core. One thread per client connection is cheap (the hub has one); the broker's many server-side
/// connections keep the asynchronous <see cref="StreamTransportConnection"/>. When the read loop falls behind, the
/// pipe fills to its pause threshold and this thread waits: TCP then pushes back on the broker as before.
/// </remarks>
internal sealed class ThreadedStreamConnection : ITransportConnection
{
    private const int SegmentSize = 65_536;

    // Read into what is left of the current segment as long as this much is: asking for a whole segment each time
    // would start a new 64 KB segment for every small read, and a pipe holding its 1 MB of unread bytes in many
    // nearly empty segments would hold far more memory than that.
    private const int MinimumFree = 4_096;
    private readonly Stream _stream;
    private readonly Pipe _pipe = new(new PipeOptions(
        pauseWriterThreshold: 1 << 20,
        resumeWriterThreshold: 1 << 19,
        minimumSegmentSize: SegmentSize,
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.ThreadPool,
        useSynchronizationContext: false));

    private readonly bool _blocking;

    /// <param name="stream">The connected stream.</param>
    /// <param name="name">The reading thread's name.</param>
    /// <param name="blocking">A plain socket in blocking mode: writes are synchronous too, so it stays in that mode (a
    /// write to a TCP socket copies into the kernel's send buffer and returns; it blocks only while the broker does not
    /// read, and the writer is one loop). False for TLS, whose handshake was asynchronous anyway.</param>
    public ThreadedStreamConnection(Stream stream, string name, bool blocking)
    {
        _stream = stream;
        _blocking = blocking;
        new Thread(Fill) { IsBackground = true, Name = name }.Start();
    }

    public PipeReader Input => _pipe.Reader;

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (!_blocking)
        {
            return _stream.WriteAsync(data, cancellationToken);
        }

        try
        {
            _stream.Write(data.Span);
            return default;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            return ValueTask.FromException(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false); // ends a Read in progress: the thread completes the pipe and ends
    }

    private void Fill()
    {
        var writer = _pipe.Writer;
        Exception? failure = null;
        try
        {
            while (true)
            {
                var read = _stream.Read(writer.GetMemory(MinimumFree).Span);
                if (read == 0)
                {
                    break; // the peer closed the connection
                }

                writer.Advance(read);
                var flush = writer.FlushAsync();
                var result = flush.IsCompleted ? flush.Result : flush.AsTask().GetAwaiter().GetResult();
                if (result.IsCompleted || result.IsCanceled)
                {
                    break; // the reader is done
                }
            }
        }
#pragma warning disable CA1031 // Whatever ended the read is handed to the pipe's reader, which reports it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
        }

        writer.Complete(failure);
    }
}
