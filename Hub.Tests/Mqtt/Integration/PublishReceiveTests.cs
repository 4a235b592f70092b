using Hub.Mqtt;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Mqtt.Integration;

public sealed class PublishReceiveTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_message_published_by_the_client_comes_back_through_its_own_subscription(int qos)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var (client, received) = Peers.Client(Peers.Options(broker, $"loop{qos}"), output, new MqttSubscription("loop/#", 2));
        await using (client)
        {
            await client.StartAndWaitConnectedAsync();
            for (var i = 0; i < 20; i++)
            {
                await client.PublishAsync(Peers.Text($"loop/{i}", $"m{i}", qos), CancellationToken.None);
            }

            for (var i = 0; i < 20; i++)
            {
                var message = await received.NextAsync();
                Assert.Equal(($"loop/{i}", qos), (message.Topic, message.Qos));
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Messages_from_mosquitto_pub_are_received(int qos)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var (client, received) = Peers.Client(Peers.Options(broker, $"from-pub{qos}"), output, new MqttSubscription("in/#", qos));
        await using (client)
        {
            await client.StartAndWaitConnectedAsync();
            await MosquittoClients.PublishAsync(broker, "in/x", $"from mosquitto_pub q{qos}", qos);
            var message = await received.NextAsync();
            Assert.Equal(("in/x", qos, $"from mosquitto_pub q{qos}"), (message.Topic, message.Qos, System.Text.Encoding.UTF8.GetString(message.Payload.Span)));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Messages_published_by_the_client_reach_mosquitto_sub(int qos)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await MosquittoClients.SubscribeAsync(broker, "out/#", qos);
        await using var client = new MqttClient(Peers.Options(broker, $"to-sub{qos}"), new CollectingLogger(output));
        await client.ConnectOnceAsync(CancellationToken.None);
        await client.PublishAsync(Peers.Text("out/y", $"to mosquitto_sub q{qos}", qos), CancellationToken.None);
        Assert.Equal($"out/y to mosquitto_sub q{qos}", await subscriber.ReadAsync(Peers.Timeout));
    }

    [Fact]
    public async Task A_retained_message_is_delivered_to_a_later_subscriber_with_the_retain_flag()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await MosquittoClients.PublishAsync(broker, "state/door", "open", 1, "-r");
        var (client, received) = Peers.Client(Peers.Options(broker, "retained"), output, new MqttSubscription("state/#", 1));
        await using (client)
        {
            await client.StartAndWaitConnectedAsync();
            var message = await received.NextAsync();
            Assert.True(message.Retain);
            Assert.Equal("open", System.Text.Encoding.UTF8.GetString(message.Payload.Span));
        }
    }

    [Fact]
    public async Task The_last_will_is_published_when_the_connection_breaks()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var watcher = await MosquittoClients.SubscribeAsync(broker, "wills/#", 1);
        var options = Peers.Options(broker, "will-writer");
        await using var client = new MqttClient(new MqttClientOptions
        {
            Host = options.Host, Port = options.Port, ClientId = "will-writer",
            Will = new MqttWill("wills/hub", "hub gone"u8.ToArray(), 1, false),
        }, new CollectingLogger(output));
        await client.ConnectOnceAsync(CancellationToken.None);

        client.DropConnection("test: simulated network failure");
        Assert.Equal("wills/hub hub gone", await watcher.ReadAsync(Peers.Timeout));
    }

    [Fact]
    public async Task A_large_message_crosses_many_reads_intact()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var (client, received) = Peers.Client(Peers.Options(broker, "big"), output, new MqttSubscription("big", 1));
        await using (client)
        {
            await client.StartAndWaitConnectedAsync();
            var payload = new byte[3_000_000];
            new Random(7).NextBytes(payload);
            await client.PublishAsync(new MqttApplicationMessage("big", payload, 1), CancellationToken.None);
            var message = await received.NextAsync();
            Assert.True(payload.AsSpan().SequenceEqual(message.Payload.Span));
        }
    }
}
