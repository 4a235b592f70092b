using System.Buffers;
using System.Text;
using Hub.Broker;
using Hub.Mqtt;
using Hub.Mqtt.Codec;
using Hub.Mqtt.Packets;
using Hub.Tests.Support;
using static Hub.Tests.Support.RawMqttConnection;

namespace Hub.Tests.Broker;

/// <summary>Malformed and hostile input closes the offending connection only; the broker and its other clients go on.</summary>
public sealed class BrokerHostileInputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Garbage_instead_of_CONNECT_closes_that_connection_logs_once_and_counts_it()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var subscriber = await broker.SubscribeAsync("still/working");
        await using var hostile = await broker.ConnectRawAsync();

        await hostile.SendBytesAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());

        await hostile.WaitClosedAsync();
        Assert.Equal(1, broker.Engine.Statistics.ProtocolErrors);
        Assert.Single(broker.Logs.Messages(Microsoft.Extensions.Logging.LogLevel.Warning), m => m.Contains("Closing the connection", StringComparison.Ordinal));
        await broker.PublishAsync("still/working", "yes");
        Assert.Equal("still/working yes", await subscriber.ReadAsync(Timeout));
    }

    [Fact]
    public async Task An_absurd_remaining_length_gets_a_v5_client_disconnect_0x95_before_any_body_is_buffered()
    {
        await using var broker = await EmbeddedBroker.StartAsync(new BrokerOptions { MaxPacketSize = 1024 });
        await using var client = await broker.ConnectRawAsync();
        await client.ConnectAsync(Connect("big", level: 5));

        await client.SendBytesAsync(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0x7F });

        var closing = await client.WaitClosedAsync();
        Assert.Equal(MqttReasonCode.PacketTooLarge, Assert.IsType<DisconnectPacket>(Assert.Single(closing)).ReasonCode);
    }

    [Fact]
    public async Task A_five_byte_remaining_length_is_malformed()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var client = await broker.ConnectRawAsync();
        await client.ConnectAsync(Connect("bad", level: 5));

        await client.SendBytesAsync(new byte[] { 0x30, 0x80, 0x80, 0x80, 0x80, 0x01 });

        var closing = await client.WaitClosedAsync();
        Assert.Equal(MqttReasonCode.MalformedPacket, Assert.IsType<DisconnectPacket>(Assert.Single(closing)).ReasonCode);
    }

    [Fact]
    public async Task A_packet_before_CONNECT_and_a_second_CONNECT_are_protocol_errors()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var early = await broker.ConnectRawAsync();
        await early.SendAsync(Publish("t", "x"));
        await early.WaitClosedAsync();
        await using var twice = await broker.ConnectRawAsync();
        await twice.ConnectAsync(Connect("twice", level: 5));

        await twice.SendAsync(Connect("twice", level: 5));

        var closing = await twice.WaitClosedAsync();
        Assert.Equal(MqttReasonCode.ProtocolError, Assert.IsType<DisconnectPacket>(Assert.Single(closing)).ReasonCode);
        Assert.Equal(2, broker.Engine.Statistics.ProtocolErrors);
    }

    [Fact]
    public async Task Connections_over_max_connections_are_closed_at_once()
    {
        await using var broker = await EmbeddedBroker.StartAsync(new BrokerOptions { MaxConnections = 1 });
        await using var first = await broker.ConnectRawAsync();
        await first.ConnectAsync(Connect("one"));
        await using var second = await broker.ConnectRawAsync();

        await second.SendAsync(Connect("two"));

        Assert.Empty(await second.WaitClosedAsync());
        await first.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await first.ReceiveAsync());
    }

    [Fact]
    public async Task Random_mutated_and_cut_packets_and_a_flood_of_silent_connections_never_crash_hang_or_fill_the_broker()
    {
        var time = new FakeTimeProvider();
        var options = new BrokerOptions { MaxPacketSize = 64 * 1024, MaxConnectSize = 4096, SysInterval = TimeSpan.Zero };
        await using var broker = await EmbeddedBroker.StartAsync(options, time);
        await using var subscriber = await broker.SubscribeAsync("fuzz/alive", 1);
        var random = new Random(20261122);
        var seeds = ValidPackets();
        var lingering = new List<RawMqttConnection>();
        try
        {
            for (var round = 0; round < 200; round++)
            {
                var client = await broker.ConnectRawAsync();
                var cut = round % 4 == 1;
                var seed = seeds[random.Next(seeds.Count)];
                var bytes = round % 4 == 0 ? RandomBytes(random) : cut ? seed[..random.Next(1, seed.Length)] : Mutate(random, seed);
                try
                {
                    await client.SendBytesAsync(bytes);
                    // Whatever the broker makes of it, it must answer or close promptly, or wait for more bytes: never take the process down.
                    await client.ReceiveAsync(TimeSpan.FromMilliseconds(50));
                }
                catch (Exception ex) when (ex is TimeoutException or EndOfStreamException or IOException or Hub.Mqtt.Framing.MqttProtocolException or InvalidCastException)
                {
                }

                if (cut)
                {
                    lingering.Add(client); // a frame that stops before its end, left open: only the timeouts end it
                }
                else
                {
                    await client.DisposeAsync();
                }
            }

            for (var i = 0; i < 300; i++)
            {
                lingering.Add(await broker.ConnectRawAsync()); // never a byte: no CONNECT
            }

            var statistics = broker.Engine.Statistics;
            await Condition.UntilAsync(() => statistics.PendingConnections >= 300, Timeout, "the silent connections accepted");
            Assert.All(broker.Engine.OpenConnections, c => Assert.True(c.InputBufferedBytes <= (c.IsPending ? options.MaxConnectSize : options.MaxPacketSize), $"{c.Remote} holds {c.InputBufferedBytes} bytes"));
            Assert.Equal(broker.Engine.OpenConnections.Where(c => c.IsPending).Sum(c => c.InputBufferedBytes), statistics.PendingInputBytes);
            Assert.True(statistics.PendingInputBytesPeak <= (200L + 300) * options.MaxConnectSize);

            time.Advance(TimeSpan.FromSeconds(46)); // the connect timeout (30 s) and the fuzzer's keep-alive limit (1.5 x 30 s)

            await Condition.UntilAsync(() => broker.Engine.ConnectionCount <= 1, Timeout, "every fuzzed and silent connection closed");
            Assert.True(statistics.Closed(BrokerCloseReason.ConnectTimeout) >= 300, $"{statistics.Closed(BrokerCloseReason.ConnectTimeout)} closed at the connect timeout");
            Assert.Equal((0, 0L), (statistics.PendingConnections, statistics.PendingInputBytes));
            await broker.PublishAsync("fuzz/alive", "yes", 1);
            Assert.Equal("fuzz/alive yes", await subscriber.ReadAsync(Timeout));
            Assert.True(statistics.ProtocolErrors > 0);
            Assert.True(statistics.Closed(BrokerCloseReason.NotConnectFirst) > 0);
            Assert.DoesNotContain(broker.Logs.Messages(Microsoft.Extensions.Logging.LogLevel.Warning), m => m.Contains("unexpected failure", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var client in lingering)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 300)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A valid CONNECT (3.1.1 or 5.0) followed by a valid packet, with a few bytes flipped, cut or repeated.</summary>
    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = seed.ToList();
        var mutations = random.Next(1, 4);
        for (var i = 0; i < mutations; i++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveRange(at, Math.Min(random.Next(1, 5), bytes.Count - at)); break;
                case 2: bytes.InsertRange(at, Enumerable.Repeat((byte)random.Next(256), random.Next(1, 5))); break;
                default: bytes[at] ^= (byte)(1 << random.Next(8)); break;
            }

            if (bytes.Count == 0)
            {
                bytes.Add(0);
            }
        }

        return [.. bytes];
    }

    private static List<byte[]> ValidPackets()
    {
        var seeds = new List<byte[]>();
        foreach (var level in new[] { 4, 5 })
        {
            var formatter = MqttPacketFormatters.For(level);
            var connect = new ConnectPacket(level, "fuzzer", 30, true, "user", "pw", new MqttWill("w/t", "x"u8.ToArray(), 1, true));
            MqttPacket[] followers =
            [
                Publish("a/b", "payload", qos: 1, id: 3, retain: true),
                Publish("a/b", "payload", qos: 2, id: 4) with { Properties = level == 5 ? new MqttProperties { TopicAlias = 2, UserProperties = [new MqttUserProperty("k", "v")] } : MqttProperties.None },
                new SubscribePacket(5, [new MqttSubscription("a/+/#", 2), new MqttSubscription("$share/g/x", 1)]),
                new UnsubscribePacket(6, ["a/+/#"]),
                new PubRelPacket(4),
                DisconnectPacket.Instance,
            ];
            foreach (var follower in followers)
            {
                var buffer = new ArrayBufferWriter<byte>();
                formatter.Encode(connect, buffer);
                formatter.Encode(follower, buffer);
                seeds.Add(buffer.WrittenSpan.ToArray());
            }
        }

        return seeds;
    }
}
