using System.IO.Pipelines;
using System.Threading.Channels;
using Hub.Mqtt.Transport;

namespace Hub.Tests.Support;

/// <summary>An in-memory transport: every connect creates a duplex pipe whose far end the test plays as the broker.</summary>
internal sealed class FakeTransport : IMqttTransport
{
    private readonly Channel<FakeBrokerConnection> _accepted = Channel.CreateUnbounded<FakeBrokerConnection>();

    public string Endpoint => "fake:1883";

    /// <summary>The protocol level the fake broker speaks (4 = 3.1.1, 5 = 5.0).</summary>
    public int ProtocolLevel { get; set; } = 4;

    /// <summary>When set, connection attempts fail with this exception.</summary>
    public Exception? RefuseWith { get; set; }

    public ValueTask<ITransportConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (RefuseWith is { } refusal)
        {
            return ValueTask.FromException<ITransportConnection>(refusal);
        }

        var toBroker = new Pipe();
        var toClient = new Pipe();
        _accepted.Writer.TryWrite(new FakeBrokerConnection(toBroker.Reader, toClient.Writer, ProtocolLevel));
        return ValueTask.FromResult<ITransportConnection>(new ClientEnd(toClient.Reader, toBroker.Writer));
    }

    /// <summary>The broker side of the next connection the client opens.</summary>
    public async Task<FakeBrokerConnection> AcceptAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await _accepted.Reader.ReadAsync(cts.Token);
    }

    private sealed class ClientEnd(PipeReader input, PipeWriter output) : ITransportConnection
    {
        public PipeReader Input => input;

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            var result = await output.WriteAsync(data, cancellationToken);
            if (result.IsCompleted)
            {
                throw new IOException("The fake broker closed the connection.");
            }
        }

        public async ValueTask DisposeAsync()
        {
            await input.CompleteAsync();
            await output.CompleteAsync();
        }
    }
}
