using Hub.Mqtt;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Mqtt.Integration;

public sealed class PersistentSessionTests(ITestOutputHelper output)
{
    private static MqttClientOptions Persistent(MosquittoBroker broker, string clientId)
    {
        var options = Peers.Options(broker, clientId);
        return new MqttClientOptions
        {
            Host = options.Host, Port = options.Port, ClientId = clientId, CleanSession = false, KeepAliveSeconds = 30,
            ReconnectMinDelay = options.ReconnectMinDelay, ReconnectMaxDelay = options.ReconnectMaxDelay,
        };
    }

    [Fact]
    public async Task Messages_published_while_a_persistent_client_was_away_arrive_when_it_returns()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var subscription = new MqttSubscription("queued/#", 1);

        var (first, _) = Peers.Client(Persistent(broker, "returner"), output, subscription);
        await using (first)
        {
            await first.StartAndWaitConnectedAsync();
            await first.StopAsync(CancellationToken.None);
        }

        for (var i = 1; i <= 3; i++)
        {
            await MosquittoClients.PublishAsync(broker, "queued/m", $"while away {i}", 1);
        }

        var (second, received) = Peers.Client(Persistent(broker, "returner"), output, subscription);
        await using (second)
        {
            Assert.True(await second.StartAndWaitConnectedAsync()); // session present
            for (var i = 1; i <= 3; i++)
            {
                Assert.Equal($"while away {i}", await received.NextPayloadAsync());
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task After_a_broker_restart_the_client_reconnects_resubscribes_and_receives_again(bool cleanSession)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Persistence = true });
        var options = Persistent(broker, $"restart-{cleanSession}");
        options = new MqttClientOptions
        {
            Host = options.Host, Port = options.Port, ClientId = options.ClientId, CleanSession = cleanSession,
            ReconnectMinDelay = options.ReconnectMinDelay, ReconnectMaxDelay = options.ReconnectMaxDelay,
        };
        var (client, received) = Peers.Client(options, output, new MqttSubscription("live/#", 1));
        var connects = System.Threading.Channels.Channel.CreateUnbounded<bool>();
        var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connected = (present, _) => connects.Writer.WriteAsync(present);
        client.ConnectionLost = (reason, _) => lost.TrySetResult(reason);
        await using (client)
        {
            await client.StartAsync(CancellationToken.None);
            using var cts = new CancellationTokenSource(Peers.Timeout);
            Assert.False(await connects.Reader.ReadAsync(cts.Token));
            await MosquittoClients.PublishAsync(broker, "live/a", "before", 1);
            Assert.Equal("before", await received.NextPayloadAsync());

            await broker.RestartAsync();
            output.WriteLine($"connection lost: {await lost.Task.WaitAsync(Peers.Timeout)}");
            Assert.Equal(!cleanSession, await connects.Reader.ReadAsync(cts.Token)); // persistent session survives in the database

            await MosquittoClients.PublishAsync(broker, "live/a", "after", 1);
            Assert.Equal("after", await received.NextPayloadAsync());
        }
    }

    [Fact]
    public async Task Messages_queued_for_a_persistent_session_survive_a_broker_restart()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Persistence = true });
        var subscription = new MqttSubscription("durable/#", 1);
        var (first, _) = Peers.Client(Persistent(broker, "durable"), output, subscription);
        await using (first)
        {
            await first.StartAndWaitConnectedAsync();
            await first.StopAsync(CancellationToken.None);
        }

        await MosquittoClients.PublishAsync(broker, "durable/x", "queued before restart", 1);
        await broker.RestartAsync();
        await MosquittoClients.PublishAsync(broker, "durable/x", "queued after restart", 1);

        var (second, received) = Peers.Client(Persistent(broker, "durable"), output, subscription);
        await using (second)
        {
            Assert.True(await second.StartAndWaitConnectedAsync());
            Assert.Equal("queued before restart", await received.NextPayloadAsync());
            Assert.Equal("queued after restart", await received.NextPayloadAsync());
        }
    }

    [Fact]
    public async Task QoS_1_publishes_made_during_an_outage_are_delivered_once_the_broker_is_back()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var (client, _) = Peers.Client(Peers.Options(broker, "outage-publisher"), output);
        await using (client)
        {
            await client.StartAndWaitConnectedAsync();
            await broker.StopAsync();
            var pending = Enumerable.Range(1, 3)
                .Select(i => client.PublishAsync(Peers.Text("outage/x", $"during outage {i}", 1), CancellationToken.None).AsTask())
                .ToList();
            Assert.DoesNotContain(pending, p => p.IsCompleted);
            await broker.StartAsync();
            await Task.WhenAll(pending).WaitAsync(Peers.Timeout); // each completed on its PUBACK
        }

        await broker.WaitForLogAsync("Received PUBLISH from outage-publisher", Peers.Timeout, count: 3);
        Assert.Equal(3, broker.CountLogLines("Received PUBLISH from outage-publisher"));
    }
}
