using System.Text;
using Hub.Broker;
using Hub.Mqtt;
using Hub.Mqtt.Packets;
using Hub.Tests.Support;
using static Hub.Tests.Support.RawMqttConnection;

namespace Hub.Tests.Broker;

/// <summary>MQTT 5.0: subscription options, topic aliases, expiry, will delay, forwarded properties, reason codes.</summary>
public sealed class BrokerV5FeatureTests
{
    private static string Text(PublishPacket packet) => Encoding.UTF8.GetString(packet.Message.Payload.Span);

    private static async Task<RawMqttConnection> SubscribedAsync(EmbeddedBroker broker, string clientId, MqttSubscription subscription, bool clean = true, uint? expiry = null)
    {
        var client = await broker.ConnectRawAsync();
        await client.ConnectAsync(Connect(clientId, level: 5, clean: clean, keepAlive: 0) with { Properties = new MqttProperties { SessionExpiryInterval = expiry } });
        await client.SendAsync(new SubscribePacket(1, [subscription]));
        await client.ReceiveAsync<SubAckPacket>();
        return client;
    }

    [Fact]
    public async Task No_local_keeps_a_clients_own_messages_from_it()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var client = await SubscribedAsync(broker, "echo", new MqttSubscription("t", 0) { NoLocal = true });
        await using var other = await broker.ConnectRawAsync();
        await other.ConnectAsync(Connect("other", level: 5));

        await client.SendAsync(Publish("t", "mine"));
        await other.SendAsync(Publish("t", "theirs"));

        Assert.Equal("theirs", Text(await client.ReceiveAsync<PublishPacket>()));
    }

    [Fact]
    public async Task Retain_as_published_keeps_the_flag_and_retain_handling_2_sends_no_retained_messages()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var publisher = await broker.ConnectRawAsync();
        await publisher.ConnectAsync(Connect("p", level: 5));
        await publisher.SendAsync(Publish("r", "old", retain: true));
        await publisher.SendAsync(PingReqPacket.Instance);
        await publisher.ReceiveAsync<PingRespPacket>();

        await using var keeps = await SubscribedAsync(broker, "keeps", new MqttSubscription("r", 0) { RetainAsPublished = true, RetainHandling = 2 });
        await using var clears = await SubscribedAsync(broker, "clears", new MqttSubscription("r", 0));
        Assert.True((await clears.ReceiveAsync<PublishPacket>()).Message.Retain); // the retained "old" on subscribe
        await publisher.SendAsync(Publish("r", "new", retain: true));

        var kept = await keeps.ReceiveAsync<PublishPacket>();
        var cleared = await clears.ReceiveAsync<PublishPacket>();
        Assert.Equal(("new", true), (Text(kept), kept.Message.Retain));
        Assert.Equal(("new", false), (Text(cleared), cleared.Message.Retain));
    }

    [Fact]
    public async Task A_topic_alias_set_once_stands_for_its_topic_and_an_unknown_alias_closes_with_a_protocol_error()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var subscriber = await SubscribedAsync(broker, "s", new MqttSubscription("alias/#", 0));
        await using var publisher = await broker.ConnectRawAsync();
        await publisher.ConnectAsync(Connect("p", level: 5));

        await publisher.SendAsync(Publish("alias/long/topic", "1") with { Properties = new MqttProperties { TopicAlias = 3 } });
        await publisher.SendAsync(Publish("", "2") with { Properties = new MqttProperties { TopicAlias = 3 } });
        Assert.Equal("alias/long/topic", (await subscriber.ReceiveAsync<PublishPacket>()).Message.Topic);
        Assert.Equal("alias/long/topic", (await subscriber.ReceiveAsync<PublishPacket>()).Message.Topic);

        await publisher.SendAsync(Publish("", "3") with { Properties = new MqttProperties { TopicAlias = 4 } });
        var closing = await publisher.WaitClosedAsync();
        Assert.Equal(MqttReasonCode.ProtocolError, Assert.IsType<DisconnectPacket>(Assert.Single(closing)).ReasonCode);
    }

    [Fact]
    public async Task Properties_are_forwarded_and_an_expired_message_is_not_delivered()
    {
        var time = new FakeTimeProvider();
        await using var broker = await EmbeddedBroker.StartAsync(time: time);
        var offline = await SubscribedAsync(broker, "later", new MqttSubscription("props", 1), clean: false, expiry: 3600);
        await offline.SendAsync(DisconnectPacket.Instance);
        await offline.WaitClosedAsync();
        await offline.DisposeAsync();
        await using var publisher = await broker.ConnectRawAsync();
        await publisher.ConnectAsync(Connect("p", level: 5));
        var properties = new MqttProperties
        {
            ContentType = "text/plain",
            ResponseTopic = "replies",
            CorrelationData = new byte[] { 1, 2, 3 },
            UserProperties = [new MqttUserProperty("k", "v")],
        };
        await publisher.SendAsync(Publish("props", "expires", qos: 1, id: 1) with { Properties = properties with { MessageExpiryInterval = 10 } });
        await publisher.ReceiveAsync<PubAckPacket>();
        await publisher.SendAsync(Publish("props", "stays", qos: 1, id: 2) with { Properties = properties });
        await publisher.ReceiveAsync<PubAckPacket>();
        time.Advance(TimeSpan.FromSeconds(11));

        await using var back = await broker.ConnectRawAsync();
        await back.ConnectAsync(Connect("later", level: 5, clean: false) with { Properties = new MqttProperties { SessionExpiryInterval = 3600 } });
        var delivered = await back.ReceiveAsync<PublishPacket>();

        Assert.Equal("stays", Text(delivered));
        Assert.Equal("text/plain", delivered.Properties.ContentType);
        Assert.Equal("replies", delivered.Properties.ResponseTopic);
        Assert.Equal(new byte[] { 1, 2, 3 }, delivered.Properties.CorrelationData!.Value.ToArray());
        Assert.Equal([new MqttUserProperty("k", "v")], delivered.Properties.UserProperties);
    }

    [Fact]
    public async Task A_delayed_will_waits_for_its_delay_and_is_cancelled_when_the_client_returns()
    {
        var time = new FakeTimeProvider();
        await using var broker = await EmbeddedBroker.StartAsync(time: time);
        await using var watcher = await SubscribedAsync(broker, "watcher", new MqttSubscription("wills/#", 0));
        var connect = Connect("mortal", level: 5, clean: false, keepAlive: 0) with
        {
            Will = new MqttWill("wills/mortal", Encoding.UTF8.GetBytes("dead"), 0, false),
            WillProperties = new MqttProperties { WillDelayInterval = 30 },
            Properties = new MqttProperties { SessionExpiryInterval = 3600 },
        };

        var first = await broker.ConnectRawAsync();
        await first.ConnectAsync(connect);
        await first.DisposeAsync();
        await Condition.UntilAsync(() => broker.Engine.Statistics.ClientsConnected == 1, TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(10));
        await using var returned = await broker.ConnectRawAsync();
        await returned.ConnectAsync(connect); // back within the delay: no will
        time.Advance(TimeSpan.FromSeconds(60));
        await returned.DisposeAsync();
        await Condition.UntilAsync(() => broker.Engine.Statistics.ClientsConnected == 1, TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(31));

        var will = await watcher.ReceiveAsync<PublishPacket>();
        Assert.Equal("dead", Text(will));
        await Assert.ThrowsAsync<TimeoutException>(() => watcher.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Disconnect_with_reason_0x04_publishes_the_will()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var watcher = await SubscribedAsync(broker, "watcher", new MqttSubscription("wills/#", 0));
        await using var leaving = await broker.ConnectRawAsync();
        await leaving.ConnectAsync(Connect("leaving", level: 5) with { Will = new MqttWill("wills/leaving", Encoding.UTF8.GetBytes("bye"), 0, false) });

        await leaving.SendAsync(new DisconnectPacket { ReasonCode = MqttReasonCode.DisconnectWithWillMessage });

        Assert.Equal("bye", Text(await watcher.ReceiveAsync<PublishPacket>()));
    }

    [Fact]
    public async Task Publishing_to_an_unmatched_topic_answers_no_matching_subscribers_and_sys_topics_are_not_authorized()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var publisher = await broker.ConnectRawAsync();
        await publisher.ConnectAsync(Connect("p", level: 5));

        await publisher.SendAsync(Publish("nobody/listens", "x", qos: 1, id: 1));
        await publisher.SendAsync(Publish("$SYS/broker/uptime", "forged", qos: 1, id: 2));

        Assert.Equal(MqttReasonCode.NoMatchingSubscribers, (await publisher.ReceiveAsync<PubAckPacket>()).ReasonCode);
        Assert.Equal(MqttReasonCode.NotAuthorized, (await publisher.ReceiveAsync<PubAckPacket>()).ReasonCode);
    }

    [Fact]
    public async Task A_message_bigger_than_the_clients_maximum_packet_size_is_not_sent_to_it()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var small = await broker.ConnectRawAsync();
        await small.ConnectAsync(Connect("small", level: 5) with { Properties = new MqttProperties { MaximumPacketSize = 64 } });
        await small.SendAsync(new SubscribePacket(1, [new MqttSubscription("size", 0)]));
        await small.ReceiveAsync<SubAckPacket>();

        await small.SendAsync(Publish("size", new string('x', 200)));
        await small.SendAsync(Publish("size", "fits"));

        Assert.Equal("fits", Text(await small.ReceiveAsync<PublishPacket>()));
    }
}
