using System.IO.Pipelines;

namespace Hub.Mqtt.Transport;

/// <summary>A network or TLS stream read through a large-buffer pipe.</summary>
internal sealed class StreamTransportConnection(Stream stream) : ITransportConnection
{
    public PipeReader Input { get; } = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 65_536, minimumReadSize: 16_384, leaveOpen: true));

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => stream.WriteAsync(data, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync().ConfigureAwait(false);
        await stream.DisposeAsync().ConfigureAwait(false);
    }
}
