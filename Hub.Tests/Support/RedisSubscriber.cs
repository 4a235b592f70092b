using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Hub.Tests.Support;

/// <summary>A raw RESP connection subscribed to one channel (SUBSCRIBE), collecting what is published there.</summary>
public sealed class RedisSubscriber : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly StreamReader _reader;
    private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();
    private readonly Task _reading;

    private RedisSubscriber(TcpClient client)
    {
        _client = client;
        _reader = new StreamReader(client.GetStream(), Encoding.UTF8);
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>Subscribes and returns once Redis confirmed the subscription.</summary>
    public static async Task<RedisSubscriber> StartAsync(ChildServer server, string channel)
    {
        ArgumentNullException.ThrowIfNull(server);
        var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var command = Encoding.UTF8.GetBytes($"*2\r\n$9\r\nSUBSCRIBE\r\n${Encoding.UTF8.GetByteCount(channel)}\r\n{channel}\r\n");
        await client.GetStream().WriteAsync(command);
        var subscriber = new RedisSubscriber(client);
        Assert.Equal("subscribe", await subscriber.NextAsync(TimeSpan.FromSeconds(10)));
        return subscriber;
    }

    /// <summary>The next message's payload ("subscribe" for the confirmation).</summary>
    public async Task<string> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await _messages.Reader.ReadAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _reading.ContinueWith(_ => { }, TaskScheduler.Default);
        _reader.Dispose();
    }

    // Each push is an array of three: kind, channel, payload (a bulk string) or count (an integer).
    private async Task ReadAsync()
    {
        try
        {
            while (await _reader.ReadLineAsync() is { } header && header.StartsWith('*'))
            {
                var kind = await BulkAsync();
                await BulkAsync();
                var last = await BulkAsync();
                _messages.Writer.TryWrite(kind == "message" ? last : kind);
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task<string> BulkAsync()
    {
        var header = await _reader.ReadLineAsync() ?? throw new IOException("closed");
        if (header.StartsWith(':'))
        {
            return header[1..];
        }

        var length = int.Parse(header[1..], System.Globalization.CultureInfo.InvariantCulture);
        var buffer = new char[length];
        await _reader.ReadBlockAsync(buffer, 0, length);
        await _reader.ReadLineAsync();
        return new string(buffer);
    }
}
