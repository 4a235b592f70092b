using System.Text;
using Hub.Broker;
using Hub.Mqtt;
using Hub.Mqtt.Packets;
using Hub.Tests.Support;
using static Hub.Tests.Support.RawMqttConnection;

namespace Hub.Tests.Broker;

/// <summary>CONNECT rules, takeover, keep-alive and the QoS flows, seen packet by packet.</summary>
public sealed class BrokerProtocolTests
{
    [Fact]
    public async Task A_v5_client_with_an_empty_client_id_gets_an_assigned_identifier()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var client = await broker.ConnectRawAsync();

        var connAck = await client.ConnectAsync(Connect("", level: 5));

        Assert.Equal(0, connAck.ReturnCode);
        Assert.StartsWith("auto-", connAck.Properties.AssignedClientIdentifier);
        Assert.Equal((ushort)100, connAck.Properties.TopicAliasMaximum);
    }

    [Fact]
    public async Task A_311_client_with_an_empty_client_id_and_a_persistent_session_is_refused_with_code_2()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var client = await broker.ConnectRawAsync();

        var connAck = await client.ConnectAsync(Connect("", clean: false));

        Assert.Equal(2, connAck.ReturnCode);
        await client.WaitClosedAsync();
    }

    [Fact]
    public async Task An_unsupported_protocol_level_is_refused_with_code_1()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var client = await broker.ConnectRawAsync();

        // CONNECT "MQTT" level 6
        await client.SendBytesAsync(new byte[] { 0x10, 12, 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 6, 2, 0, 60, 0, 0 });

        var connAck = Assert.IsType<ConnAckPacket>(await client.ReceiveAsync());
        Assert.Equal(1, connAck.ReturnCode);
    }

    [Fact]
    public async Task A_second_connection_with_the_same_client_id_takes_over_and_the_first_gets_reason_0x8E()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var first = await broker.ConnectRawAsync();
        await first.ConnectAsync(Connect("twin", level: 5));
        await using var second = await broker.ConnectRawAsync();

        var connAck = await second.ConnectAsync(Connect("twin", level: 5));

        Assert.Equal(0, connAck.ReturnCode);
        var closing = await first.WaitClosedAsync();
        var disconnect = Assert.IsType<DisconnectPacket>(Assert.Single(closing));
        Assert.Equal(MqttReasonCode.SessionTakenOver, disconnect.ReasonCode);
    }

    [Fact]
    public async Task A_silent_client_is_closed_after_one_and_a_half_keep_alive_intervals()
    {
        var time = new FakeTimeProvider();
        await using var broker = await EmbeddedBroker.StartAsync(time: time);
        await using var client = await broker.ConnectRawAsync();
        await client.ConnectAsync(Connect("sleepy", level: 5, keepAlive: 10));

        time.Advance(TimeSpan.FromSeconds(10));
        await client.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await client.ReceiveAsync()); // still alive: 10 s < 15 s
        time.Advance(TimeSpan.FromSeconds(16));

        var closing = await client.WaitClosedAsync();
        Assert.Equal(MqttReasonCode.KeepAliveTimeout, Assert.IsType<DisconnectPacket>(Assert.Single(closing)).ReasonCode);
    }

    [Fact]
    public async Task QoS_2_completes_in_both_directions()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var subscriber = await broker.ConnectRawAsync();
        await subscriber.ConnectAsync(Connect("sub"));
        await subscriber.SendAsync(new SubscribePacket(1, [new MqttSubscription("q2/#", 2)]));
        Assert.Equal([(byte)2], (await subscriber.ReceiveAsync<SubAckPacket>()).ReturnCodes);
        await using var publisher = await broker.ConnectRawAsync();
        await publisher.ConnectAsync(Connect("pub"));

        await publisher.SendAsync(Publish("q2/x", "exactly once", qos: 2, id: 7));
        Assert.Equal(7, (await publisher.ReceiveAsync<PubRecPacket>()).PacketId);
        await publisher.SendAsync(Publish("q2/x", "exactly once", qos: 2, id: 7) with { }); // a re-send before PUBREL is not routed again
        Assert.Equal(7, (await publisher.ReceiveAsync<PubRecPacket>()).PacketId);
        await publisher.SendAsync(new PubRelPacket(7));
        Assert.Equal(7, (await publisher.ReceiveAsync<PubCompPacket>()).PacketId);

        var delivered = await subscriber.ReceiveAsync<PublishPacket>();
        Assert.Equal(2, delivered.Message.Qos);
        Assert.Equal("exactly once", Encoding.UTF8.GetString(delivered.Message.Payload.Span));
        await subscriber.SendAsync(new PubRecPacket(delivered.PacketId));
        Assert.Equal(delivered.PacketId, (await subscriber.ReceiveAsync<PubRelPacket>()).PacketId);
        await subscriber.SendAsync(new PubCompPacket(delivered.PacketId));
        await publisher.SendAsync(Publish("q2/x", "second", qos: 0));
        Assert.Equal("second", Encoding.UTF8.GetString((await subscriber.ReceiveAsync<PublishPacket>()).Message.Payload.Span));
    }

    [Fact]
    public async Task The_in_flight_window_holds_back_messages_until_acknowledgements_free_it()
    {
        await using var broker = await EmbeddedBroker.StartAsync(new BrokerOptions { MaxInflight = 2 });
        await using var subscriber = await broker.ConnectRawAsync();
        await subscriber.ConnectAsync(Connect("slow"));
        await subscriber.SendAsync(new SubscribePacket(1, [new MqttSubscription("w", 1)]));
        await subscriber.ReceiveAsync<SubAckPacket>();
        await using var publisher = await broker.ConnectRawAsync();
        await publisher.ConnectAsync(Connect("fast"));
        for (ushort i = 1; i <= 3; i++)
        {
            await publisher.SendAsync(Publish("w", $"m{i}", qos: 1, id: i));
            await publisher.ReceiveAsync<PubAckPacket>();
        }

        var one = await subscriber.ReceiveAsync<PublishPacket>();
        var two = await subscriber.ReceiveAsync<PublishPacket>();
        await Assert.ThrowsAsync<TimeoutException>(() => subscriber.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
        await subscriber.SendAsync(new PubAckPacket(one.PacketId));
        var three = await subscriber.ReceiveAsync<PublishPacket>();

        Assert.Equal(["m1", "m2", "m3"], new[] { one, two, three }.Select(p => Encoding.UTF8.GetString(p.Message.Payload.Span)));
    }

    [Fact]
    public async Task Unacknowledged_messages_are_sent_again_with_DUP_when_the_session_resumes()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        var subscriber = await broker.ConnectRawAsync();
        await subscriber.ConnectAsync(Connect("resumer", clean: false));
        await subscriber.SendAsync(new SubscribePacket(1, [new MqttSubscription("r", 1)]));
        await subscriber.ReceiveAsync<SubAckPacket>();
        await using var publisher = await broker.ConnectRawAsync();
        await publisher.ConnectAsync(Connect("p"));
        await publisher.SendAsync(Publish("r", "again", qos: 1, id: 1));
        var first = await subscriber.ReceiveAsync<PublishPacket>();
        Assert.False(first.Message.Dup);
        await subscriber.DisposeAsync(); // no PUBACK

        await using var again = await broker.ConnectRawAsync();
        var connAck = await again.ConnectAsync(Connect("resumer", clean: false));
        var resent = await again.ReceiveAsync<PublishPacket>();

        Assert.True(connAck.SessionPresent);
        Assert.True(resent.Message.Dup);
        Assert.Equal(first.PacketId, resent.PacketId);
    }

    [Fact]
    public async Task An_offline_queue_over_max_queued_messages_drops_the_oldest()
    {
        await using var broker = await EmbeddedBroker.StartAsync(new BrokerOptions { MaxQueuedMessages = 3 });
        var subscriber = await broker.ConnectRawAsync();
        await subscriber.ConnectAsync(Connect("away", clean: false));
        await subscriber.SendAsync(new SubscribePacket(1, [new MqttSubscription("d", 1)]));
        await subscriber.ReceiveAsync<SubAckPacket>();
        await subscriber.SendAsync(DisconnectPacket.Instance);
        await subscriber.WaitClosedAsync();
        await subscriber.DisposeAsync();
        await using var publisher = await broker.ConnectRawAsync();
        await publisher.ConnectAsync(Connect("p"));
        for (ushort i = 1; i <= 5; i++)
        {
            await publisher.SendAsync(Publish("d", $"m{i}", qos: 1, id: i));
            await publisher.ReceiveAsync<PubAckPacket>();
        }

        await using var back = await broker.ConnectRawAsync();
        await back.ConnectAsync(Connect("away", clean: false));
        var received = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var message = await back.ReceiveAsync<PublishPacket>();
            received.Add(Encoding.UTF8.GetString(message.Message.Payload.Span));
            await back.SendAsync(new PubAckPacket(message.PacketId));
        }

        Assert.Equal(["m3", "m4", "m5"], received);
        Assert.Equal(2, broker.Engine.Statistics.MessagesDropped);
    }

    [Fact]
    public async Task A_shared_subscription_member_that_dies_with_an_unacknowledged_message_passes_it_to_another_member()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        var first = await broker.ConnectRawAsync();
        await first.ConnectAsync(Connect("member-1"));
        await first.SendAsync(new SubscribePacket(1, [new MqttSubscription("$share/g/jobs", 1)]));
        await first.ReceiveAsync<SubAckPacket>();
        await using var second = await broker.ConnectRawAsync();
        await second.ConnectAsync(Connect("member-2"));
        await second.SendAsync(new SubscribePacket(1, [new MqttSubscription("$share/g/jobs", 1)]));
        await second.ReceiveAsync<SubAckPacket>();
        await using var publisher = await broker.ConnectRawAsync();
        await publisher.ConnectAsync(Connect("p"));

        await publisher.SendAsync(Publish("jobs", "job-1", qos: 1, id: 1));
        var taken = await first.ReceiveAsync<PublishPacket>(); // round robin starts with the first member
        await first.DisposeAsync(); // dies without PUBACK

        var redelivered = await second.ReceiveAsync<PublishPacket>();
        Assert.Equal("job-1", Encoding.UTF8.GetString(taken.Message.Payload.Span));
        Assert.Equal("job-1", Encoding.UTF8.GetString(redelivered.Message.Payload.Span));
    }
}
