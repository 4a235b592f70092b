using System.IO.Pipelines;

namespace Hub.Mqtt.Transport;

/// <summary>
/// A network or TLS stream read through a pipe (the embedded broker's listeners). Zero-byte reads first, so an idle
/// connection holds no read buffer; then reads of up to 16 KiB, a bound the broker documents per connection.
/// </summary>
internal sealed class StreamTransportConnection(Stream stream) : ITransportConnection
{
    /// <summary>The read buffer a connection takes while bytes arrive (none while it is idle).</summary>
    public const int ReadBufferSize = 16 * 1024;

    public PipeReader Input { get; } = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: 4096, leaveOpen: true, useZeroByteReads: true));

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => stream.WriteAsync(data, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync().ConfigureAwait(false);
        await stream.DisposeAsync().ConfigureAwait(false);
    }
}
