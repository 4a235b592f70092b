using System.IO.Pipelines;
using Hub.Mqtt.Transport;

namespace Hub.Broker;

/// <summary>One end of an in-memory connection: reads from one pipe, writes to the other.</summary>
internal sealed class PipeTransportConnection(PipeReader input, PipeWriter output) : ITransportConnection
{
    public PipeReader Input { get; } = input;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var result = await output.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted)
        {
            throw new IOException("The other end of the in-process connection is closed.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync().ConfigureAwait(false);
        await output.CompleteAsync().ConfigureAwait(false);
    }
}
