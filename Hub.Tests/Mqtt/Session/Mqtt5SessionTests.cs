using System.Text;
using System.Threading.Channels;
using Hub.Mqtt;
using Hub.Mqtt.Packets;
using Xunit.Abstractions;

namespace Hub.Tests.Mqtt.Session;

/// <summary>MQTT 5.0 session behaviour against a scripted 5.0 broker: topic aliases, flow control, limits, refusals, properties.</summary>
public sealed class Mqtt5SessionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan T = ClientHarness.Timeout;

    private static MqttApplicationMessage Message(string topic, int qos, string payload = "x") => new(topic, Encoding.UTF8.GetBytes(payload), qos);

    private static ClientHarness Harness(ITestOutputHelper output, bool cleanSession = true, int maxInflight = 1024)
    {
        var harness = new ClientHarness(output, new MqttClientOptions
        {
            ProtocolLevel = 5, KeepAliveSeconds = 0, CleanSession = cleanSession, ConnectTimeout = TimeSpan.FromHours(1), MaxInflightMessages = maxInflight,
        });
        harness.Transport.ProtocolLevel = 5;
        return harness;
    }

    private static async Task<FakeBrokerConnectionAccess> StartAsync(ClientHarness harness, MqttProperties? connAck = null, bool sessionPresent = false)
    {
        if (connAck is null)
        {
            return new(await harness.StartAsync(sessionPresent), null);
        }

        await harness.Client.StartAsync(CancellationToken.None);
        return await AcceptAsync(harness, connAck, sessionPresent);
    }

    private static async Task<FakeBrokerConnectionAccess> AcceptAsync(ClientHarness harness, MqttProperties connAck, bool sessionPresent = false)
    {
        var broker = await harness.Transport.AcceptAsync(T);
        var connect = await broker.AcceptConnectAsync(T, sessionPresent, connAck);
        using var cts = new CancellationTokenSource(T);
        await harness.ConnectedSignal.Reader.ReadAsync(cts.Token);
        return new(broker, connect);
    }

    [Fact]
    public async Task CONNECT_announces_our_receive_maximum_and_topic_alias_maximum()
    {
        await using var harness = Harness(output);
        await harness.Client.StartAsync(CancellationToken.None);
        var broker = await harness.Transport.AcceptAsync(T);
        var connect = await broker.AcceptConnectAsync(T);
        Assert.Equal((ushort)1024, connect.Properties.ReceiveMaximum); // the inbound queue's capacity by default
        Assert.Equal((ushort)64, connect.Properties.TopicAliasMaximum);
    }

    [Fact]
    public async Task Received_topic_aliases_are_resolved_and_the_properties_reach_the_handler()
    {
        await using var harness = Harness(output);
        var delivered = Channel.CreateUnbounded<MqttApplicationMessage>();
        harness.Client.MessageReceived = (m, _) => delivered.Writer.WriteAsync(m);
        var (broker, _) = await StartAsync(harness);

        var properties = new MqttProperties
        {
            TopicAlias = 3, ContentType = "text/plain", ResponseTopic = "reply/here", CorrelationData = new byte[] { 1, 2 },
            MessageExpiryInterval = 30, PayloadFormatIndicator = 1, SubscriptionIdentifiers = [7],
            UserProperties = [new MqttUserProperty("a", "1"), new MqttUserProperty("b", "2")],
        };
        await broker.SendAsync(new PublishPacket(Message("sensors/kitchen/temp", 0, "first")) { Properties = properties });
        await broker.SendAsync(new PublishPacket(Message("", 0, "second")) { Properties = new MqttProperties { TopicAlias = 3 } });

        using var cts = new CancellationTokenSource(T);
        var first = await delivered.Reader.ReadAsync(cts.Token);
        var second = await delivered.Reader.ReadAsync(cts.Token);
        Assert.Equal(("sensors/kitchen/temp", "sensors/kitchen/temp"), (first.Topic, second.Topic));
        var p = Assert.IsType<MqttMessageProperties>(first.Properties);
        Assert.Equal(("text/plain", "reply/here", 30u, (byte)1), (p.ContentType, p.ResponseTopic, p.MessageExpiryInterval, p.PayloadFormatIndicator));
        Assert.Equal(new byte[] { 1, 2 }, p.CorrelationData!.Value.ToArray());
        Assert.Equal([KeyValuePair.Create("a", "1"), KeyValuePair.Create("b", "2")], p.UserProperties);
        Assert.Equal([7], p.SubscriptionIdentifiers);
        Assert.Null(second.Properties); // the alias alone is no application property
    }

    [Theory]
    [InlineData(5, "used before the broker set it up")]
    [InlineData(65, "outside 1…64")]
    public async Task An_unknown_or_too_high_topic_alias_is_a_protocol_error(int alias, string reason)
    {
        await using var harness = Harness(output);
        var (broker, _) = await StartAsync(harness);
        await broker.SendAsync(new PublishPacket(Message("", 0)) { Properties = new MqttProperties { TopicAlias = (ushort)alias } });
        var (lost, _) = await harness.NextLossAsync();
        Assert.Contains("protocol error", lost, StringComparison.Ordinal);
        Assert.Contains(reason, lost, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeated_topics_use_the_brokers_topic_aliases_and_a_reconnect_starts_again()
    {
        await using var harness = Harness(output, cleanSession: false);
        var (broker, _) = await StartAsync(harness, new MqttProperties { TopicAliasMaximum = 1 });

        await harness.Client.PublishAsync(Message("alarms/pump7", 0, "1"), CancellationToken.None);
        await harness.Client.PublishAsync(Message("alarms/pump7", 0, "2"), CancellationToken.None);
        await harness.Client.PublishAsync(Message("alarms/pump8", 0, "3"), CancellationToken.None);
        var first = await broker.ReadAsync<PublishPacket>(T);
        var second = await broker.ReadAsync<PublishPacket>(T);
        var third = await broker.ReadAsync<PublishPacket>(T);
        Assert.Equal(("alarms/pump7", (ushort?)1), (first.Message.Topic, first.Properties.TopicAlias));
        Assert.Equal(("", (ushort?)1), (second.Message.Topic, second.Properties.TopicAlias));
        Assert.Equal(("alarms/pump8", (ushort?)null), (third.Message.Topic, third.Properties.TopicAlias)); // the broker allows one alias only

        // A QoS 1 message in flight is resent in full on the new connection: aliases do not survive it.
        var pending = harness.Client.PublishAsync(Message("alarms/pump7", 1, "4"), CancellationToken.None).AsTask();
        var sent = await broker.ReadAsync<PublishPacket>(T);
        Assert.Equal("", sent.Message.Topic);
        await broker.CloseAsync();
        await harness.NextLossAsync();
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        var (again, _) = await AcceptAsync(harness, new MqttProperties { TopicAliasMaximum = 1 }, sessionPresent: true);
        var resent = await again.ReadAsync<PublishPacket>(T);
        Assert.Equal(("alarms/pump7", (ushort?)1, true, sent.PacketId), (resent.Message.Topic, resent.Properties.TopicAlias, resent.Message.Dup, resent.PacketId));
        await again.SendAsync(new PubAckPacket(resent.PacketId));
        await pending.WaitAsync(T);
    }

    [Fact]
    public async Task Without_a_topic_alias_maximum_from_the_broker_no_alias_is_sent()
    {
        await using var harness = Harness(output);
        var (broker, _) = await StartAsync(harness);
        await harness.Client.PublishAsync(Message("alarms/pump7", 0), CancellationToken.None);
        await harness.Client.PublishAsync(Message("alarms/pump7", 0), CancellationToken.None);
        Assert.Null((await broker.ReadAsync<PublishPacket>(T)).Properties.TopicAlias);
        var second = await broker.ReadAsync<PublishPacket>(T);
        Assert.Equal(("alarms/pump7", (ushort?)null), (second.Message.Topic, second.Properties.TopicAlias));
    }

    [Fact]
    public async Task The_brokers_receive_maximum_limits_our_unacknowledged_publishes()
    {
        await using var harness = Harness(output);
        var (broker, _) = await StartAsync(harness, new MqttProperties { ReceiveMaximum = 2 });
        var publishes = Enumerable.Range(1, 3).Select(i => harness.Client.PublishAsync(Message("q1", 1, $"m{i}"), CancellationToken.None).AsTask()).ToList();
        var first = await broker.ReadAsync<PublishPacket>(T);
        await broker.ReadAsync<PublishPacket>(T);

        // The third waits for a slot; other packets are not held back by it.
        await harness.Client.PublishAsync(Message("marker", 0), CancellationToken.None);
        Assert.Equal("marker", (await broker.ReadAsync<PublishPacket>(T)).Message.Topic);

        await broker.SendAsync(new PubAckPacket(first.PacketId));
        var third = await broker.ReadAsync<PublishPacket>(T);
        Assert.Equal("m3", Encoding.UTF8.GetString(third.Message.Payload.Span));
        await publishes[0].WaitAsync(T);
        Assert.False(publishes[2].IsCompleted);
    }

    [Fact]
    public async Task A_PUBACK_refusal_fails_that_publish_in_words_and_the_connection_stays()
    {
        await using var harness = Harness(output);
        var (broker, _) = await StartAsync(harness);
        var refused = harness.Client.PublishAsync(Message("secret", 1), CancellationToken.None).AsTask();
        var sent = await broker.ReadAsync<PublishPacket>(T);
        await broker.SendAsync(new PubAckPacket(sent.PacketId) { ReasonCode = (MqttReasonCode)0x87, Properties = new MqttProperties { ReasonString = "ACL" } });

        var error = await Assert.ThrowsAsync<MqttPublishRejectedException>(() => refused.WaitAsync(T));
        Assert.Equal("The broker refused the message: Not authorized (PUBACK reason code 0x87): ACL", error.Message);
        Assert.False(error.IsTransient);

        // 0x10 "No matching subscribers" is a success.
        var next = harness.Client.PublishAsync(Message("open", 1), CancellationToken.None).AsTask();
        var nextSent = await broker.ReadAsync<PublishPacket>(T);
        await broker.SendAsync(new PubAckPacket(nextSent.PacketId) { ReasonCode = (MqttReasonCode)0x10 });
        await next.WaitAsync(T);
        Assert.True(harness.Client.IsConnected);
    }

    [Fact]
    public async Task A_PUBREC_refusal_ends_the_QoS_2_flow_without_PUBREL()
    {
        await using var harness = Harness(output);
        var (broker, _) = await StartAsync(harness);
        var refused = harness.Client.PublishAsync(Message("q2", 2), CancellationToken.None).AsTask();
        var sent = await broker.ReadAsync<PublishPacket>(T);
        await broker.SendAsync(new PubRecPacket(sent.PacketId) { ReasonCode = (MqttReasonCode)0x97 });
        var error = await Assert.ThrowsAsync<MqttPublishRejectedException>(() => refused.WaitAsync(T));
        Assert.Contains("Quota exceeded", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsTransient);

        await harness.Client.PublishAsync(Message("after", 0), CancellationToken.None);
        Assert.Equal("after", (await broker.ReadAsync<PublishPacket>(T)).Message.Topic); // no PUBREL before it
    }

    [Fact]
    public async Task A_message_above_the_brokers_maximum_packet_size_fails_alone()
    {
        await using var harness = Harness(output);
        var (broker, _) = await StartAsync(harness, new MqttProperties { MaximumPacketSize = 100 });
        var big = Message("big", 1, new string('x', 200));
        var error = await Assert.ThrowsAsync<MqttPublishRejectedException>(() => harness.Client.PublishAsync(big, CancellationToken.None).AsTask().WaitAsync(T));
        Assert.Contains("more than the broker's maximum packet size of 100 bytes", error.Message, StringComparison.Ordinal);

        // Properties count too.
        var tagged = Message("small", 0) with { Properties = new MqttMessageProperties { UserProperties = [KeyValuePair.Create("k", new string('v', 120))] } };
        await Assert.ThrowsAsync<MqttPublishRejectedException>(() => harness.Client.PublishAsync(tagged, CancellationToken.None).AsTask().WaitAsync(T));

        await harness.Client.PublishAsync(Message("small", 0), CancellationToken.None);
        Assert.Equal("small", (await broker.ReadAsync<PublishPacket>(T)).Message.Topic);
        Assert.True(harness.Client.IsConnected);
    }

    [Fact]
    public async Task Outgoing_properties_are_sent_and_a_QoS_1_publish_is_resent_with_DUP_and_them_after_a_reconnect()
    {
        await using var harness = Harness(output, cleanSession: false);
        var (broker, _) = await StartAsync(harness);
        var properties = new MqttMessageProperties { ContentType = "application/json", ResponseTopic = "r/1", MessageExpiryInterval = 60 };
        var publish = harness.Client.PublishAsync(Message("out", 1) with { Properties = properties }, CancellationToken.None).AsTask();
        var first = await broker.ReadAsync<PublishPacket>(T);
        Assert.Equal(("application/json", "r/1", 60u), (first.Properties.ContentType, first.Properties.ResponseTopic, first.Properties.MessageExpiryInterval));
        Assert.False(first.Message.Dup);

        await broker.CloseAsync();
        await harness.NextLossAsync();
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        var again = await harness.AcceptAsync(sessionPresent: true);
        var resent = await again.ReadAsync<PublishPacket>(T);
        Assert.Equal((first.PacketId, true, "application/json"), (resent.PacketId, resent.Message.Dup, resent.Properties.ContentType));
        Assert.False(publish.IsCompleted);
        await again.SendAsync(new PubAckPacket(resent.PacketId));
        await publish.WaitAsync(T);
    }

    [Fact]
    public async Task A_QoS_2_message_handled_before_a_reconnect_is_not_delivered_again_when_the_broker_resends_it()
    {
        await using var harness = Harness(output, cleanSession: false);
        var delivered = Channel.CreateUnbounded<string>();
        harness.Client.MessageReceived = (m, _) => delivered.Writer.WriteAsync(m.Topic);
        var (broker, _) = await StartAsync(harness);
        await broker.SendAsync(new PublishPacket(Message("exactly/once", 2), 9));
        Assert.Equal(new PubRecPacket(9), await broker.ReadAsync(T));

        await broker.CloseAsync();
        await harness.NextLossAsync();
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        var again = await harness.AcceptAsync(sessionPresent: true);
        await again.SendAsync(new PublishPacket(Message("exactly/once", 2) with { Dup = true }, 9));
        Assert.Equal(new PubRecPacket(9), await again.ReadAsync(T));
        await again.SendAsync(new PubRelPacket(9));
        Assert.Equal(new PubCompPacket(9), await again.ReadAsync(T));

        using var cts = new CancellationTokenSource(T);
        Assert.Equal("exactly/once", await delivered.Reader.ReadAsync(cts.Token));
        Assert.False(delivered.Reader.TryRead(out _));
    }

    private readonly record struct FakeBrokerConnectionAccess(Support.FakeBrokerConnection Broker, ConnectPacket? Connect);
}
