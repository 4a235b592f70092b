using System.Buffers;
using System.Net.Sockets;
using Hub.Broker;
using Hub.Mqtt.Codec;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;
using Hub.Mqtt.Transport;
using Hub.Tests.Support;
using static Hub.Tests.Support.RawMqttConnection;

namespace Hub.Tests.Broker;

/// <summary>
/// What a client can make the broker hold, read from the broker's own accounting (bytes held per connection,
/// connections closed and why): before CONNECT, in its queue, waiting to be written to it.
/// </summary>
public sealed class BrokerLimitsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_connection_whose_first_byte_is_not_CONNECT_is_closed_at_that_byte_without_buffering_the_packet()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var hostile = await broker.ConnectRawAsync();

        // All but the last byte of an 8 MB PUBLISH, as the issue's attacker sent it.
        var header = new byte[] { 0x30, 0x80, 0x80, 0x80, 0x04 };
        await SendUntilClosedAsync(hostile, header, 8 * 1024 * 1024 - 1);

        await hostile.WaitClosedAsync();
        Assert.Equal(1, broker.Engine.Statistics.Closed(BrokerCloseReason.NotConnectFirst));
        Assert.InRange(broker.Engine.Statistics.InputBytesPeak, 1, StreamTransportConnection.ReadBufferSize);
        Assert.Equal(0, broker.Engine.Statistics.PendingConnections);
        using (var publisher = new SysTopicPublisher(broker.Engine, System.Threading.Timeout.InfiniteTimeSpan))
        {
            publisher.PublishAll();
        }

        var sys = broker.Engine.Retained.All.ToDictionary(m => m.Topic, m => System.Text.Encoding.UTF8.GetString(m.Payload.Span));
        Assert.Equal(("1", "0", "0"), (sys["$SYS/broker/connections/closed/not_connect_first"], sys["$SYS/broker/connections/closed/connect_timeout"], sys["$SYS/broker/connections/pending"]));
    }

    [Fact]
    public async Task A_CONNECT_announcing_more_than_max_connect_size_is_closed_before_its_body_is_read()
    {
        await using var broker = await EmbeddedBroker.StartAsync(new BrokerOptions { MaxConnectSize = 1024 });
        await using var hostile = await broker.ConnectRawAsync();

        await SendUntilClosedAsync(hostile, [0x10, 0x80, 0x80, 0x04], 64 * 1024);

        await hostile.WaitClosedAsync();
        Assert.Equal(1, broker.Engine.Statistics.Closed(BrokerCloseReason.ConnectTooLarge));
        Assert.True(broker.Engine.Statistics.PendingInputBytesPeak <= StreamTransportConnection.ReadBufferSize);
        Assert.Contains(broker.Logs.Messages(Microsoft.Extensions.Logging.LogLevel.Warning), m => m.Contains("max_connect_size", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connections_that_never_finish_CONNECT_hold_at_most_max_connect_size_each_and_the_connect_timeout_closes_them()
    {
        var time = new FakeTimeProvider();
        var options = new BrokerOptions { MaxConnectSize = 2048, ConnectTimeout = TimeSpan.FromSeconds(30), SysInterval = TimeSpan.Zero };
        await using var broker = await EmbeddedBroker.StartAsync(options, time);
        const int Idle = 100, Partial = 40, Sent = 2000;
        var clients = new List<RawMqttConnection>();
        try
        {
            for (var i = 0; i < Idle + Partial; i++)
            {
                var client = await broker.ConnectRawAsync();
                clients.Add(client);
                if (i >= Idle)
                {
                    // A CONNECT of exactly max_connect_size (1 + 2 + 2045 bytes) that stops 48 bytes before its end.
                    var bytes = new byte[Sent];
                    (bytes[0], bytes[1], bytes[2]) = (0x10, 0xFD, 0x0F);
                    await client.SendBytesAsync(bytes);
                }
            }

            await Condition.UntilAsync(() => broker.Engine.Statistics.PendingInputBytes == Partial * Sent && broker.Engine.Statistics.PendingConnections == Idle + Partial, Timeout, "every partial CONNECT held");
            Assert.All(broker.Engine.OpenConnections, c => Assert.True(c.InputBufferedBytes is 0 or Sent, $"{c.Remote} holds {c.InputBufferedBytes} bytes"));
            Assert.True(broker.Engine.Statistics.PendingInputBytesPeak <= (long)(Idle + Partial) * options.MaxConnectSize);

            time.Advance(options.ConnectTimeout);

            await Condition.UntilAsync(() => broker.Engine.ConnectionCount == 0, Timeout, "every connection closed at the connect timeout");
            Assert.Equal(Idle + Partial, broker.Engine.Statistics.Closed(BrokerCloseReason.ConnectTimeout));
            Assert.Equal((0, 0L), (broker.Engine.Statistics.PendingConnections, broker.Engine.Statistics.PendingInputBytes));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData(0, 0, 30, 0)]       // mosquitto's 0: no maximum, nothing dropped
    [InlineData(0, 1000, 10, 20)]   // bytes only: 10 messages of 100 bytes fit
    [InlineData(5, 1000, 5, 25)]    // both: the first limit reached applies
    public async Task The_offline_queue_follows_max_queued_messages_and_max_queued_bytes_with_0_meaning_no_maximum(int maxMessages, long maxBytes, int kept, int dropped)
    {
        await using var broker = await EmbeddedBroker.StartAsync(new BrokerOptions { MaxQueuedMessages = maxMessages, MaxQueuedBytes = maxBytes });
        await using (var away = await broker.ConnectRawAsync())
        {
            await away.ConnectAsync(Connect("away", clean: false));
            await away.SendAsync(new SubscribePacket(1, [new Hub.Mqtt.MqttSubscription("q/#", 1)]));
            await away.ReceiveAsync<SubAckPacket>();
            await away.SendAsync(DisconnectPacket.Instance);
        }

        // The DISCONNECT is handled on the broker's side: until then a publish goes in flight to "away", not in its queue.
        await Condition.UntilAsync(() => broker.Engine.Sessions.Single(s => s.ClientId == "away").IsConnected == false, Timeout, "away detached");
        await using var publisher = await broker.ConnectRawAsync();
        await publisher.ConnectAsync(Connect("publisher"));
        for (var i = 0; i < 30; i++)
        {
            // 3-byte topic + 97-byte payload = 100 bytes queued.
            await publisher.SendAsync(Publish("q/t", $"{i:D2}".PadRight(97, '.'), qos: 1, id: (ushort)(i + 1)));
            await publisher.ReceiveAsync<PubAckPacket>();
        }

        var session = broker.Engine.Sessions.Single(s => s.ClientId == "away");
        Assert.Equal(kept, session.QueuedCount);
        Assert.Equal(kept * 100L, session.QueuedBytes);
        Assert.Equal(dropped, broker.Engine.Statistics.MessagesDropped);
        await using var back = await broker.ConnectRawAsync();
        await back.ConnectAsync(Connect("away", clean: false));
        var first = await back.ReceiveAsync<PublishPacket>();
        Assert.StartsWith($"{30 - kept:D2}.", System.Text.Encoding.UTF8.GetString(first.Message.Payload.Span), StringComparison.Ordinal); // the oldest went first
    }

    [Theory]
    [InlineData(1000, 256 * 1024)] // the bytes limit comes first: 256 KiB < 1,000 x 1 KiB
    [InlineData(100, 0)]           // the messages limit alone, as mosquitto 2.0 bounds its outgoing packets
    public async Task A_subscriber_that_stops_reading_holds_at_most_its_QoS_0_limit_and_the_rest_is_dropped_and_counted(int maxMessages, long maxBytes)
    {
        const int Size = 1000 + 7 + 9; // payload, topic, estimated header
        long limit = maxBytes > 0 ? maxBytes : maxMessages * Size;
        await using var broker = await EmbeddedBroker.StartAsync(new BrokerOptions { MaxQueuedMessages = maxMessages, MaxQueuedBytes = maxBytes });
        await using var stalled = await InProcessAsync(broker);
        await stalled.SendAsync(Connect("stalled"));
        await stalled.SendAsync(new SubscribePacket(1, [new Hub.Mqtt.MqttSubscription("flood/#", 0)]));
        Assert.Equal(1, await stalled.CountAsync<SubAckPacket>(1, Timeout));
        await using var publisher = await broker.ConnectRawAsync();
        await publisher.ConnectAsync(Connect("publisher"));
        var payload = new string('x', 1000);

        for (var i = 0; i < 2000; i++)
        {
            await publisher.SendAsync(Publish("flood/t", payload));
        }

        await publisher.SendAsync(PingReqPacket.Instance);
        await publisher.ReceiveAsync<PingRespPacket>();
        var connection = broker.Engine.OpenConnections.Single(c => c.ClientId == "stalled");
        Assert.InRange(connection.OutputBufferedBytes, limit - Size, limit + Size);
        Assert.True(connection.PublishesWaiting <= maxMessages, $"{connection.PublishesWaiting} messages waiting");
        Assert.True(broker.Engine.Statistics.OutputBytesPeak <= limit + Size, $"peak {broker.Engine.Statistics.OutputBytesPeak}");
        Assert.True(broker.Engine.Statistics.MessagesDropped > 1000, $"{broker.Engine.Statistics.MessagesDropped} dropped");
    }

    [Fact]
    public async Task A_client_that_sends_but_never_reads_its_acknowledgements_is_paused_not_buffered_and_resumes_when_it_reads()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var deaf = await InProcessAsync(broker);
        await deaf.SendAsync(Connect("deaf"));
        const int Count = 60_000;
        var publishing = Task.Run(async () =>
        {
            for (var i = 0; i < Count; i++)
            {
                await deaf.SendAsync(Publish("nobody/listens", "", qos: 1, id: (ushort)(i % 60_000 + 1)));
            }
        });

        await Condition.UntilAsync(() => broker.Engine.Statistics.ReadPauses > 0, Timeout, "reading from the deaf client paused");
        var connection = broker.Engine.OpenConnections.Single(c => c.ClientId == "deaf");
        Assert.True(connection.OutputBufferedBytes <= (BrokerConnection.MaxUnwrittenResponses + 1) * 4L, $"{connection.OutputBufferedBytes} bytes waiting");
        Assert.False(publishing.IsCompleted);

        var acks = await deaf.CountAsync<PubAckPacket>(Count, Timeout);

        Assert.Equal(Count, acks);
        await publishing.WaitAsync(Timeout);
    }

    /// <summary>Sends <paramref name="header"/> then zeros up to <paramref name="total"/> bytes, stopping quietly when the broker closes the socket.</summary>
    private static async Task SendUntilClosedAsync(RawMqttConnection client, byte[] header, int total)
    {
        try
        {
            await client.SendBytesAsync(header);
            var chunk = new byte[64 * 1024];
            for (var sent = header.Length; sent < total; sent += chunk.Length)
            {
                await client.SendBytesAsync(chunk.AsMemory(0, Math.Min(chunk.Length, total - sent)));
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
        }
    }

    private static async Task<InProcessClient> InProcessAsync(EmbeddedBroker broker) =>
        new(await broker.Server.CreateInProcessTransport().ConnectAsync(CancellationToken.None));

    /// <summary>The client end of the in-process pipe, speaking raw packets: its reading is whatever the test does (nothing, or counting).</summary>
    private sealed class InProcessClient(ITransportConnection transport) : IAsyncDisposable
    {
        private readonly IMqttPacketFormatter _formatter = MqttPacketFormatters.For(4);

        public async Task SendAsync(MqttPacket packet)
        {
            var buffer = new ArrayBufferWriter<byte>();
            _formatter.Encode(packet, buffer);
            await transport.WriteAsync(buffer.WrittenMemory, CancellationToken.None);
        }

        public async Task<int> CountAsync<T>(int wanted, TimeSpan timeout) where T : MqttPacket
        {
            using var cts = new CancellationTokenSource(timeout);
            var count = 0;
            while (count < wanted)
            {
                var result = await transport.Input.ReadAsync(cts.Token);
                var buffer = result.Buffer;
                while (MqttFrameReader.TryRead(ref buffer, int.MaxValue, out var frame))
                {
                    if (_formatter.Decode(frame) is T)
                    {
                        count++;
                    }
                }

                transport.Input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            return count;
        }

        public ValueTask DisposeAsync() => transport.DisposeAsync();
    }
}
