using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Hub.Tests.Support;

/// <summary>
/// A real TCP server on 127.0.0.1 (a free port) for plugins that speak a small protocol (irccat,
/// zabbix): each connection is handed to the test's conversation, which returns what it received;
/// <see cref="NextAsync"/> waits for the next one. <see cref="Capture"/> reads until the client
/// closes its side.
/// </summary>
public sealed class ProtoTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<byte[]> _received = Channel.CreateUnbounded<byte[]>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<NetworkStream, CancellationToken, Task<byte[]>> _conversation;
    private readonly Task _accepting;

    private ProtoTcpServer(Func<NetworkStream, CancellationToken, Task<byte[]>> conversation)
    {
        _conversation = conversation;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Host => "127.0.0.1";
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A server whose conversation is the test's: read the request, answer, return the bytes received.</summary>
    public static ProtoTcpServer Start(Func<NetworkStream, CancellationToken, Task<byte[]>> conversation) => new(conversation);

    /// <summary>A server that reads each connection to its end and answers nothing.</summary>
    public static ProtoTcpServer Capture() => new(async (stream, ct) =>
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    });

    /// <summary>What the next connection sent, once its conversation is over.</summary>
    public async Task<byte[]> NextAsync(TimeSpan timeout) => await _received.Reader.ReadAsync().AsTask().WaitAsync(timeout);

    /// <summary>Exactly <paramref name="count"/> bytes from the stream (throws at an early end).</summary>
    public static async Task<byte[]> ReadExactlyAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var bytes = new byte[count];
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        _received.Writer.TryWrite(await _conversation(client.GetStream(), _stop.Token));
                    }
                    catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
                    {
                        // The client went away, or the server stops.
                    }
                }
            });
        }
    }
}
