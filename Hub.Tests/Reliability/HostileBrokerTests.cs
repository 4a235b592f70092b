using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Hub.Mqtt;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>
/// A hostile broker on a real socket (a TcpListener on 127.0.0.1): its first connection answers the
/// CONNECT with garbage, a truncated packet, an absurd remaining length, an unknown packet type, or a
/// good CONNACK followed by garbage. The hub's MQTT client drops that connection, says why in words,
/// reconnects, and works on the second connection, where the fake answers properly and delivers a message.
/// </summary>
public sealed class HostileBrokerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly byte[] ConnAck = [0x20, 0x02, 0x00, 0x00];

    /// <summary>What the fake answers, and the words the client's warning must give as the reason.</summary>
    public static TheoryData<string, byte[], string> Answers => new()
    {
        { "garbage", Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\n\r\n"), "Malformed PubAck" },
        { "a truncated CONNACK", [0x20, 0x02, 0x00], "no answer within 10s" },
        { "an absurd remaining length", [0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], "Malformed remaining length: more than 4 bytes" },
        { "a remaining length past the packet size limit", [0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x01, (byte)'t'], "exceeds the maximum packet size" },
        { "an unknown packet type", [0x00, 0x00], "reserved packet type 0" },
        { "a CONNACK that is too long", [0x20, 0x05, 0x00, 0x00, 0x01, 0x02, 0x03], "Malformed CONNACK: 3 unexpected bytes at the end" },
        { "a CONNACK then garbage", [.. ConnAck, 0xF0, 0x00, 0xDE, 0xAD, 0xBE, 0xEF], "type Auth does not exist in MQTT 3.1.1" },
        { "a CONNACK then a PUBLISH whose topic length runs past its end", [.. ConnAck, 0x30, 0x03, 0x00, 0x40, (byte)'t'], "Malformed PUBLISH: truncated" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task The_client_drops_a_hostile_connection_with_a_reason_reconnects_and_works(string what, byte[] answer, string reason)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var logger = new CollectingLogger(output);
        var received = Channel.CreateUnbounded<string>();
        await using var client = new MqttClient(
            new MqttClientOptions { Host = "127.0.0.1", Port = port, ClientId = "hostile-broker", ConnectTimeout = TimeSpan.FromSeconds(10), ReconnectMinDelay = TimeSpan.FromMilliseconds(10), ReconnectMaxDelay = TimeSpan.FromMilliseconds(50) },
            logger)
        {
            Subscriptions = [new MqttSubscription("t/#", 0)],
            MessageReceived = (message, _) =>
            {
                received.Writer.TryWrite($"{message.Topic} {Encoding.UTF8.GetString(message.Payload.Span)}");
                return ValueTask.CompletedTask;
            },
        };

        using var cts = new CancellationTokenSource(Wait);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var broker = Task.Run(async () =>
        {
            // First connection: the hostile answer; the client must close it.
            using (var hostile = await listener.AcceptTcpClientAsync(cts.Token))
            {
                var stream = hostile.GetStream();
                await ReadPacketAsync(stream, cts.Token); // CONNECT
                await stream.WriteAsync(answer, cts.Token);
                var buffer = new byte[4096];
                while (await stream.ReadAsync(buffer, cts.Token) > 0)
                {
                    // Whatever the client still sends (a DISCONNECT, a PINGREQ) until it closes.
                }
            }

            // Second connection: a proper broker for one subscription and one message.
            using var good = await listener.AcceptTcpClientAsync(cts.Token);
            var s = good.GetStream();
            await ReadPacketAsync(s, cts.Token); // CONNECT
            await s.WriteAsync(ConnAck, cts.Token);
            var subscribe = await ReadPacketAsync(s, cts.Token);
            Assert.Equal(0x82, subscribe[0]);
            await s.WriteAsync(new byte[] { 0x90, 0x03, subscribe[2], subscribe[3], 0x00 }, cts.Token);
            await s.WriteAsync(new byte[] { 0x30, 0x07, 0x00, 0x03, (byte)'t', (byte)'/', (byte)'1', (byte)'o', (byte)'k' }, cts.Token);
            await done.Task.WaitAsync(cts.Token);
        }, cts.Token);

        await client.StartAsync(cts.Token);
        Assert.Equal("t/1 ok", await received.Reader.ReadAsync(cts.Token));
        done.SetResult();
        await broker;

        var warning = logger.Entries.First(e => e.Level == LogLevel.Warning);
        output.WriteLine($"{what}: {warning.Message}");
        Assert.Contains(reason, warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", warning.Message, StringComparison.Ordinal);
        await client.StopAsync(CancellationToken.None);
    }

    /// <summary>Reads one MQTT packet (fixed header, remaining length, body) and returns all of its bytes.</summary>
    private static async Task<byte[]> ReadPacketAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var bytes = new List<byte> { await ReadByteAsync(stream, cancellationToken) };
        int length = 0, shift = 0;
        byte b;
        do
        {
            b = await ReadByteAsync(stream, cancellationToken);
            bytes.Add(b);
            length |= (b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);

        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken);
        bytes.AddRange(body);
        return [.. bytes];
    }

    private static async Task<byte> ReadByteAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var one = new byte[1];
        await stream.ReadExactlyAsync(one, cancellationToken);
        return one[0];
    }
}
