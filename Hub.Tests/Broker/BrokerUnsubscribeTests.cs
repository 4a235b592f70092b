using Hub.Broker.Security;
using Hub.Mqtt;
using Hub.Mqtt.Packets;
using Hub.Tests.Support;
using static Hub.Tests.Support.RawMqttConnection;

namespace Hub.Tests.Broker;

/// <summary>UNSUBSCRIBE takes effect before its UNSUBACK: nothing arrives on the removed subscription after it.</summary>
public sealed class BrokerUnsubscribeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_message_matched_before_the_UNSUBSCRIBE_but_delivered_after_it_does_not_follow_the_UNSUBACK(int qos)
    {
        // The publisher's thread is held between matching the subscription and handing the message to the session:
        // exactly where a concurrent UNSUBSCRIBE used to slip in.
        var security = new HoldingSecurity("race/t");
        await using var broker = await EmbeddedBroker.StartAsync(security: security);
        await using var subscriber = await broker.ConnectRawAsync();
        await subscriber.ConnectAsync(Connect("leaving", level: 5));
        await subscriber.SendAsync(new SubscribePacket(1, [new MqttSubscription("race/#", qos)]));
        await subscriber.ReceiveAsync<SubAckPacket>();
        await using var publisher = await broker.ConnectRawAsync();
        await publisher.ConnectAsync(Connect("publisher", level: 5));

        await publisher.SendAsync(Publish("race/t", "too late", qos: 1, id: 1));
        await security.Held.WaitAsync(Timeout);
        await subscriber.SendAsync(new UnsubscribePacket(2, ["race/#"]));
        Assert.Equal(2, Assert.IsType<UnsubAckPacket>(await subscriber.ReceiveAsync()).PacketId);
        security.Release();

        var ack = await publisher.ReceiveAsync<PubAckPacket>();
        Assert.Equal(MqttReasonCode.NoMatchingSubscribers, ack.ReasonCode);
        await subscriber.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await subscriber.ReceiveAsync()); // the PUBLISH, had it been queued, would come first
    }

    [Fact]
    public async Task A_message_published_after_the_UNSUBACK_is_not_delivered_and_one_before_it_is()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var client = await broker.ConnectRawAsync();
        await client.ConnectAsync(Connect("self"));
        await client.SendAsync(new SubscribePacket(1, [new MqttSubscription("TopicA", 1), new MqttSubscription("TopicA/B", 1)]));
        await client.ReceiveAsync<SubAckPacket>();
        await client.SendAsync(Publish("TopicA", "before", qos: 1, id: 2));
        Assert.Equal("before", System.Text.Encoding.UTF8.GetString((await client.ReceiveAsync<PublishPacket>()).Message.Payload.Span));

        await client.SendAsync(new UnsubscribePacket(3, ["TopicA"]));
        await client.SendAsync(Publish("TopicA", "topic 0 - unsubscribed", qos: 1, id: 4));
        await client.SendAsync(Publish("TopicA/B", "topic 1", qos: 1, id: 5));

        // Deliveries of a PUBLISH are queued before its PUBACK: once PUBACK 5 is here, everything either could cause has come.
        var topics = new List<string>();
        while (await client.ReceiveAsync() is var packet && packet is not PubAckPacket { PacketId: 5 })
        {
            if (packet is PublishPacket publish)
            {
                topics.Add(publish.Message.Topic);
                await client.SendAsync(new PubAckPacket(publish.PacketId));
            }
        }

        Assert.Equal(["TopicA/B"], topics);
    }

    /// <summary>Allows everything, but holds the first delivery check on <paramref name="topic"/> until released.</summary>
    private sealed class HoldingSecurity(string topic) : IBrokerSecurity
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _release = new();

        public Task Held => _held.Task;

        public void Release() => _release.Set();

        public bool Authenticate(string clientId, string? username, ReadOnlySpan<byte> password) => true;

        public bool CanPublish(string clientId, string? username, string topic) => true;

        public bool CanSubscribe(string clientId, string? username, string filter) => true;

        public bool CanRead(string clientId, string? username, string topic1)
        {
            if (topic1 == topic && _held.TrySetResult())
            {
                _release.Wait(Timeout);
            }

            return true;
        }
    }
}
