using Hub.Broker;
using Hub.Tests.Support;

namespace Hub.Tests.Broker;

/// <summary>The embedded broker against mosquitto's own clients, MQTT 3.1.1 and 5.0.</summary>
public sealed class BrokerMosquittoClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("mqttv311", 0)]
    [InlineData("mqttv311", 1)]
    [InlineData("mqttv311", 2)]
    [InlineData("mqttv5", 0)]
    [InlineData("mqttv5", 1)]
    [InlineData("mqttv5", 2)]
    [InlineData("mqttv31", 1)]
    public async Task A_message_published_by_mosquitto_pub_reaches_mosquitto_sub_at_every_qos(string version, int qos)
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var subscriber = await broker.SubscribeAsync("sensors/+/temp", qos, "-V", version);

        await broker.PublishAsync("sensors/kitchen/temp", "21.5", qos, "-V", version);

        Assert.Equal("sensors/kitchen/temp 21.5", await subscriber.ReadAsync(Timeout));
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task A_retained_message_is_delivered_on_subscribe_and_an_empty_retained_payload_deletes_it(string version)
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await broker.PublishAsync("home/door", "open", 1, "-r", "-V", version);

        var first = await broker.ReceiveAsync("home/#", 1, "-V", version);
        Assert.Equal(["home/door open"], first);

        var delete = await broker.TryPublishAsync("-t", "home/door", "-n", "-r", "-q", "1", "-V", version);
        Assert.Equal(0, delete.ExitCode);
        await broker.PublishAsync("home/window", "closed", 1, "-r", "-V", version);
        var second = await broker.ReceiveAsync("home/#", 1, "-V", version);
        Assert.Equal(["home/window closed"], second);
    }

    [Fact]
    public async Task A_leading_wildcard_does_not_match_sys_topics_but_an_explicit_sys_subscription_gets_statistics()
    {
        await using var broker = await EmbeddedBroker.StartAsync(new BrokerOptions { SysInterval = TimeSpan.FromSeconds(1) });
        await using var everything = await broker.SubscribeAsync("#");
        await broker.PublishAsync("plain/topic", "x");

        Assert.Equal("plain/topic x", await everything.ReadAsync(Timeout));
        var connected = await broker.ReceiveAsync("$SYS/broker/clients/connected", 1);
        Assert.Matches(@"^\$SYS/broker/clients/connected \d+$", Assert.Single(connected));
        var uptime = await broker.ReceiveAsync("$SYS/broker/uptime", 1);
        Assert.Matches(@"^\$SYS/broker/uptime \d+ seconds$", Assert.Single(uptime));
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task A_will_is_published_when_a_client_dies_without_disconnecting(string version)
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var watcher = await broker.SubscribeAsync("status/#", 1, "-V", version);
        var dying = await broker.SubscribeAsync("whatever", 0, "-V", version, "--will-topic", "status/dying", "--will-payload", "gone", "--will-qos", "1");

        await dying.DisposeAsync(); // killed: the connection drops without DISCONNECT

        Assert.Equal("status/dying gone", await watcher.ReadAsync(Timeout));
    }

    [Fact]
    public async Task A_will_is_not_published_after_a_normal_disconnect()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var watcher = await broker.SubscribeAsync("status/#", 1);

        // mosquitto_pub connects with a will, publishes, and disconnects normally.
        await broker.PublishAsync("status/polite", "hello", 1, "--will-topic", "status/polite", "--will-payload", "will");
        await broker.PublishAsync("status/marker", "end", 1);

        Assert.Equal("status/polite hello", await watcher.ReadAsync(Timeout));
        Assert.Equal("status/marker end", await watcher.ReadAsync(Timeout));
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task A_persistent_session_gets_the_messages_queued_while_it_was_offline(string version)
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        string[] session = ["-c", "-i", "offline-reader", "-V", version, .. version == "mqttv5" ? new[] { "-x", "3600" } : []];
        var first = await broker.SubscribeAsync("queue/#", 1, session);
        await first.DisposeAsync();

        await broker.PublishAsync("queue/a", "one", 1);
        await broker.PublishAsync("queue/b", "two", 2);

        var lines = await broker.ReceiveAsync("queue/#", 2, ["-q", "1", .. session]);
        Assert.Equal(["queue/a one", "queue/b two"], lines);
    }

    [Fact]
    public async Task A_shared_subscription_gives_each_message_to_one_member_round_robin()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var one = await broker.SubscribeAsync("$share/workers/jobs/#", 1, "-V", "mqttv5");
        await using var two = await broker.SubscribeAsync("$share/workers/jobs/#", 1, "-V", "mqttv5");

        for (var i = 0; i < 4; i++)
        {
            await broker.PublishAsync($"jobs/{i}", "work", 1);
        }

        var received = new List<string>
        {
            await one.ReadAsync(Timeout), await one.ReadAsync(Timeout), await two.ReadAsync(Timeout), await two.ReadAsync(Timeout),
        };
        Assert.Equal(["jobs/0 work", "jobs/1 work", "jobs/2 work", "jobs/3 work"], received.Order());
    }
}
