using System.IO.Pipelines;

namespace Hub.Mqtt.Transport;

/// <summary>An open byte stream to the broker: a pipe to read from, whole blocks to write. Disposing closes it.</summary>
internal interface ITransportConnection : IAsyncDisposable
{
    PipeReader Input { get; }

    /// <summary>Writes the block with one write call, so a packet never pauses half-way.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
