using System.Text;
using Hub.Broker.Security;
using Hub.Mqtt;
using Hub.Mqtt.Packets;
using Hub.Tests.Support;
using static Hub.Tests.Support.RawMqttConnection;

namespace Hub.Tests.Broker;

/// <summary>The broker asks <see cref="IBrokerSecurity"/> on CONNECT, PUBLISH, SUBSCRIBE and per delivered message, and answers refusals in each version's terms.</summary>
public sealed class BrokerSecurityHookTests
{
    /// <summary>alice/secret may connect; anonymous may not; nobody publishes to or subscribes to or reads "secret/..."</summary>
    private sealed class TestSecurity : IBrokerSecurity
    {
        public bool Authenticate(string clientId, string? username, ReadOnlySpan<byte> password) =>
            username == "alice" && password.SequenceEqual("secret"u8);

        public bool CanPublish(string clientId, string? username, string topic) => !topic.StartsWith("secret/", StringComparison.Ordinal);

        public bool CanRead(string clientId, string? username, string topic) => !topic.StartsWith("hidden/", StringComparison.Ordinal);

        public bool CanSubscribe(string clientId, string? username, string filter) => !filter.StartsWith("secret/", StringComparison.Ordinal);
    }

    private static ConnectPacket Alice(int level) => Connect("alice-" + level, level) with { Username = "alice", Password = "secret" };

    [Theory]
    [InlineData(4, "mallory", (byte)4)]
    [InlineData(4, null, (byte)5)]
    [InlineData(5, "mallory", (byte)0x86)]
    [InlineData(5, null, (byte)0x87)]
    public async Task Bad_credentials_are_refused_with_the_versions_code(int level, string? user, byte expected)
    {
        await using var broker = await EmbeddedBroker.StartAsync(security: new TestSecurity());
        await using var client = await broker.ConnectRawAsync();

        var connAck = await client.ConnectAsync(Connect("c", level) with { Username = user, Password = user is null ? null : "wrong" });

        Assert.Equal(expected, connAck.ReturnCode);
        await client.WaitClosedAsync();
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task A_denied_subscription_fails_in_the_suback_and_a_denied_publish_is_dropped_or_refused(int level)
    {
        await using var broker = await EmbeddedBroker.StartAsync(security: new TestSecurity());
        await using var client = await broker.ConnectRawAsync();
        Assert.Equal(0, (await client.ConnectAsync(Alice(level))).ReturnCode);

        await client.SendAsync(new SubscribePacket(1, [new MqttSubscription("secret/#", 1), new MqttSubscription("#", 1)]));
        var subAck = await client.ReceiveAsync<SubAckPacket>();
        await client.SendAsync(Publish("secret/x", "no", qos: 1, id: 2));
        var pubAck = await client.ReceiveAsync<PubAckPacket>();
        await client.SendAsync(Publish("hidden/x", "not readable", qos: 1, id: 3));
        await client.ReceiveAsync<PubAckPacket>();
        await client.SendAsync(Publish("open/x", "yes", qos: 1, id: 4));

        Assert.Equal(level == 5 ? [0x87, 0x01] : [0x80, 0x01], subAck.ReturnCodes);
        Assert.Equal(level == 5 ? MqttReasonCode.NotAuthorized : MqttReasonCode.Success, pubAck.ReasonCode);
        var delivered = await client.ReceiveAsync<PublishPacket>(); // neither the denied nor the unreadable message came through
        Assert.Equal("open/x", delivered.Message.Topic);
        Assert.Equal("yes", Encoding.UTF8.GetString(delivered.Message.Payload.Span));
    }
}
