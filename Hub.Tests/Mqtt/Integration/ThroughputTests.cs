using System.Diagnostics;
using System.Globalization;
using Hub.Mqtt;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Mqtt.Integration;

/// <summary>Bulk traffic from mosquitto_pub -l: every message arrives, in order; the rate is printed for comparison with mosquitto_sub.</summary>
[Trait("Category", "Throughput")]
public sealed class ThroughputTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0, 200_000)]
    [InlineData(1, 100_000)]
    [InlineData(2, 20_000)]
    public async Task A_burst_of_small_messages_arrives_complete_and_in_order(int qos, int count)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { ExtraConfig = "max_queued_messages 0\nmax_inflight_messages 0" });
        var next = 1;
        var outOfOrder = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new Stopwatch();
        await using var client = new MqttClient(Peers.Options(broker, $"bulk{qos}"), new CollectingLogger(output, Microsoft.Extensions.Logging.LogLevel.Information))
        {
            Subscriptions = [new MqttSubscription("bulk", qos)],
            MessageReceived = (m, _) =>
            {
                if (next == 1)
                {
                    clock.Start();
                }

                if (!int.TryParse(m.Payload.Span, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n != next)
                {
                    outOfOrder++;
                }

                if (++next > count)
                {
                    clock.Stop();
                    done.TrySetResult();
                }

                return ValueTask.CompletedTask;
            },
        };
        await client.StartAndWaitConnectedAsync();

        if (qos == 0)
        {
            var publisher = await ProcessRunner.RunAsync(
                "sh",
                ["-c", $"seq 1 {count} | mosquitto_pub -h {broker.Host} -p {broker.Port} -t bulk -q 0 -l"],
                TimeSpan.FromMinutes(2));
            Assert.Equal(0, publisher.ExitCode);
        }
        else
        {
            // mosquitto_pub 2.0.11 -l with QoS > 0 quits after ~35k lines, so our own client publishes:
            // all messages in flight at once, which also exercises packet-id allocation and PUBACK matching.
            await using var publisher = new MqttClient(Peers.Options(broker, $"bulk-publisher{qos}"), new CollectingLogger(output, Microsoft.Extensions.Logging.LogLevel.Information));
            await publisher.ConnectOnceAsync(CancellationToken.None);
            var sent = new List<Task>(count);
            for (var i = 1; i <= count; i++)
            {
                sent.Add(publisher.PublishAsync(new MqttApplicationMessage("bulk", System.Text.Encoding.ASCII.GetBytes(i.ToString(CultureInfo.InvariantCulture)), qos), CancellationToken.None).AsTask());
            }

            await Task.WhenAll(sent).WaitAsync(TimeSpan.FromMinutes(1));
        }

        try
        {
            await done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Only {next - 1} of {count} messages arrived (connected: {client.IsConnected}). Broker: {Count(broker, "Received PUBLISH from")} received, {Count(broker, "Sending PUBLISH to bulk")} sent, {Count(broker, "dropped")} drop notices; tail:\n{string.Join('\n', broker.ReadLog().Split('\n').Where(l => !l.Contains("PUBACK", StringComparison.Ordinal)).TakeLast(10))}");
        }

        Assert.Equal(0, outOfOrder);
        output.WriteLine($"QoS {qos}: {count} messages in {clock.Elapsed.TotalSeconds:0.000}s = {count / clock.Elapsed.TotalSeconds:0} msg/s");
    }

    private static int Count(MosquittoBroker broker, string text) => broker.CountLogLines(text);
}
