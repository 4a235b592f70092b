using System.Text;
using System.Threading.Channels;
using Hub.Mqtt;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Hub.Tests.Mqtt.Integration;

/// <summary>MQTT 5.0 features of the client against a real mosquitto 2.0.</summary>
public sealed class Mqtt5FeatureTests(ITestOutputHelper output)
{
    private static readonly TimeSpan T = Peers.Timeout;

    private static MqttClientOptions V5(MosquittoBroker broker, string clientId) => Peers.Options(broker, clientId, level: 5);

    [Fact]
    public async Task Properties_travel_through_the_broker_to_another_client()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var (receiver, received) = Peers.Client(V5(broker, "v5-props-rx"), output, new MqttSubscription("props/#", 1));
        await using var _ = receiver;
        await receiver.StartAndWaitConnectedAsync();
        var (sender, _) = Peers.Client(V5(broker, "v5-props-tx"), output);
        await using var __ = sender;
        await sender.StartAndWaitConnectedAsync();

        var properties = new MqttMessageProperties
        {
            ContentType = "application/json", ResponseTopic = "replies/1", CorrelationData = new byte[] { 0xca, 0xfe },
            MessageExpiryInterval = 300, PayloadFormatIndicator = 1,
            UserProperties = [KeyValuePair.Create("site", "north"), KeyValuePair.Create("site", "south")],
        };
        await sender.PublishAsync(Peers.Text("props/a", "{}", qos: 1) with { Properties = properties }, CancellationToken.None);

        var message = await received.NextAsync();
        var p = Assert.IsType<MqttMessageProperties>(message.Properties);
        Assert.Equal(("application/json", "replies/1", (byte?)1), (p.ContentType, p.ResponseTopic, p.PayloadFormatIndicator));
        Assert.Equal(new byte[] { 0xca, 0xfe }, p.CorrelationData!.Value.ToArray());
        Assert.InRange(p.MessageExpiryInterval!.Value, 1u, 300u); // the broker forwards what is left
        Assert.Equal([KeyValuePair.Create("site", "north"), KeyValuePair.Create("site", "south")], p.UserProperties);
    }

    [Fact]
    public async Task Repeated_topics_go_out_as_topic_aliases_and_the_broker_delivers_them_on_the_right_topic()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var sub = await MosquittoClients.SubscribeAsync(broker, "alias/#", 0, "-V", "mqttv5");
        var log = new CollectingLogger(output, LogLevel.Trace);
        await using var sender = new MqttClient(V5(broker, "v5-alias-tx"), log);
        await sender.StartAndWaitConnectedAsync();

        for (var i = 1; i <= 3; i++)
        {
            await sender.PublishAsync(Peers.Text("alias/long/topic/name", $"m{i}", qos: 1), CancellationToken.None);
        }

        Assert.Equal(["alias/long/topic/name m1", "alias/long/topic/name m2", "alias/long/topic/name m3"],
            [await sub.ReadAsync(T), await sub.ReadAsync(T), await sub.ReadAsync(T)]);
        // mosquitto 2.0 announces a Topic Alias Maximum of 10: the second and third PUBLISH carry the alias alone.
        Assert.Equal(2, log.Messages(LogLevel.Trace).Count(m => m.StartsWith("Sending PUBLISH(", StringComparison.Ordinal) && m.Contains("topic=,", StringComparison.Ordinal) && m.Contains("topicAlias=1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_message_above_the_brokers_max_packet_size_fails_alone_and_the_connection_stays()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { ExtraConfig = "max_packet_size 1000" });
        var (client, _) = Peers.Client(V5(broker, "v5-size"), output);
        await using var _ = client;
        await client.StartAndWaitConnectedAsync();
        await using var sub = await MosquittoClients.SubscribeAsync(broker, "size/#", 1, "-V", "mqttv5");

        var error = await Assert.ThrowsAsync<MqttPublishRejectedException>(
            () => client.PublishAsync(Peers.Text("size/big", new string('x', 2000), qos: 1), CancellationToken.None).AsTask());
        Assert.Contains("maximum packet size of 1000 bytes", error.Message, StringComparison.Ordinal);

        await client.PublishAsync(Peers.Text("size/small", "ok", qos: 1), CancellationToken.None);
        Assert.Equal("size/small ok", await sub.ReadAsync(T));
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task A_publish_the_ACL_denies_fails_with_the_reason_code_in_words()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions
        {
            AllowAnonymous = false,
            Users = new Dictionary<string, string> { ["hub"] = "pw" },
            Acl = "user hub\ntopic readwrite open/#\n",
        });
        var options = V5(broker, "v5-acl");
        var (client, _) = Peers.Client(new MqttClientOptions
        {
            Host = options.Host, Port = options.Port, ClientId = options.ClientId, ProtocolLevel = 5, Username = "hub", Password = "pw",
            ReconnectMinDelay = options.ReconnectMinDelay, ReconnectMaxDelay = options.ReconnectMaxDelay,
        }, output);
        await using var _ = client;
        await client.StartAndWaitConnectedAsync();

        var error = await Assert.ThrowsAsync<MqttPublishRejectedException>(
            () => client.PublishAsync(Peers.Text("closed/x", "no", qos: 1), CancellationToken.None).AsTask().WaitAsync(T));
        Assert.Contains("Not authorized (PUBACK reason code 0x87)", error.Message, StringComparison.Ordinal);
        await client.PublishAsync(Peers.Text("open/x", "yes", qos: 1), CancellationToken.None).AsTask().WaitAsync(T);
    }

    [Fact]
    public async Task The_brokers_receive_maximum_is_honoured_and_every_message_arrives()
    {
        // mosquitto announces max_inflight_messages as its Receive Maximum.
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { ExtraConfig = "max_inflight_messages 2" });
        await using var sub = await MosquittoClients.SubscribeAsync(broker, "flow/#", 1, "-V", "mqttv5");
        var log = new CollectingLogger(output, LogLevel.Trace);
        await using var client = new MqttClient(V5(broker, "v5-flow"), log);
        await client.StartAndWaitConnectedAsync();
        Assert.Contains(log.Messages(LogLevel.Trace), m => m.StartsWith("Received CONNACK", StringComparison.Ordinal) && m.Contains("receiveMaximum=2", StringComparison.Ordinal));

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => client.PublishAsync(Peers.Text("flow/x", $"{i}", qos: i % 2 + 1), CancellationToken.None).AsTask())).WaitAsync(T);
        var lines = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            lines.Add(await sub.ReadAsync(T));
        }

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"flow/x {i}").Order(), lines.Order()); // QoS 1 and 2 interleave differently
        Assert.DoesNotContain("exceeded", broker.ReadLog(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_shared_subscription_spreads_messages_over_its_members()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var received = Channel.CreateUnbounded<(string Member, string Topic)>();
        var members = new List<MqttClient>();
        foreach (var name in new[] { "m1", "m2" })
        {
            var client = new MqttClient(V5(broker, "v5-share-" + name), new CollectingLogger(output))
            {
                Subscriptions = [new MqttSubscription("$share/g/work/#", 1)],
                MessageReceived = (m, _) => received.Writer.WriteAsync((name, m.Topic)),
            };
            members.Add(client);
            await client.StartAndWaitConnectedAsync();
        }

        try
        {
            for (var i = 0; i < 20; i++)
            {
                await MosquittoClients.PublishAsync(broker, "work/item", $"{i}", 1, "-V", "mqttv5");
            }

            var got = new List<(string Member, string Topic)>();
            using var cts = new CancellationTokenSource(T);
            for (var i = 0; i < 20; i++)
            {
                got.Add(await received.Reader.ReadAsync(cts.Token));
            }

            Assert.All(got, g => Assert.Equal("work/item", g.Topic)); // the topic name, not the $share filter
            Assert.Equal(2, got.Select(g => g.Member).Distinct().Count());
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }
}
