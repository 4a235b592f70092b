using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Hub.Delivery;
using Hub.Mqtt;
using Hub.Mqtt.Packets;
using Hub.Pipeline;
using Hub.Tests.Mqtt.Session;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Hub.Tests.Pipeline;

/// <summary>The route workers: per-topic order, parallel topics, bounded queues, acknowledgements in arrival order, failures.</summary>
public sealed class RouteWorkersTests(ITestOutputHelper output)
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(10);

    private static MqttApplicationMessage Message(string topic, int number, int qos = 0) =>
        new(topic, Encoding.UTF8.GetBytes(number.ToString(CultureInfo.InvariantCulture)), qos);

    private static int Number(MqttApplicationMessage message) => int.Parse(Encoding.UTF8.GetString(message.Payload.Span), CultureInfo.InvariantCulture);

    /// <summary>Two topics that go to different workers.</summary>
    internal static (string First, string Second) TopicsOnTwoWorkers(RouteWorkers workers, string first, string prefix)
    {
        var second = Enumerable.Range(0, 1000).Select(i => $"{prefix}/{i}").First(t => workers.IndexOf(t) != workers.IndexOf(first));
        return (first, second);
    }

    [Fact]
    public async Task Messages_of_one_topic_are_routed_in_arrival_order_while_topics_run_on_several_workers()
    {
        var routed = new ConcurrentDictionary<string, ConcurrentQueue<int>>();
        var threads = new ConcurrentDictionary<int, bool>();
        var workers = new RouteWorkers(4, 8, async (message, _, _) =>
        {
            threads[Environment.CurrentManagedThreadId] = true;
            if (Number(message) % 3 == 0)
            {
                await Task.Yield();
            }

            routed.GetOrAdd(message.Topic, _ => new()).Enqueue(Number(message));
        }, null, new CollectingLogger());
        workers.Start();
        var topics = Enumerable.Range(0, 8).Select(i => $"sensor/{i}").ToArray();
        Assert.True(topics.Select(workers.IndexOf).Distinct().Count() > 1);
        for (var n = 0; n < 200; n++)
        {
            foreach (var topic in topics)
            {
                await await workers.HandAsync(Message(topic, n), CancellationToken.None);
            }
        }

        await workers.StopAsync(new CancellationTokenSource(T).Token);
        foreach (var topic in topics)
        {
            Assert.Equal(Enumerable.Range(0, 200), routed[topic]);
        }

        Assert.Equal(0, workers.Failures);
    }

    [Fact]
    public async Task A_full_worker_queue_makes_the_hand_off_wait_until_the_blocked_step_moves_on()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var routed = new ConcurrentQueue<int>();
        var workers = new RouteWorkers(1, 1, async (message, _, _) =>
        {
            if (Number(message) == 1)
            {
                started.TrySetResult();
                await gate.Task;
            }

            routed.Enqueue(Number(message));
        }, null, new CollectingLogger());
        workers.Start();

        Assert.True(workers.HandAsync(Message("a", 1), CancellationToken.None).IsCompleted);
        await started.Task.WaitAsync(T);
        Assert.True(workers.HandAsync(Message("a", 2), CancellationToken.None).IsCompleted); // the queue's one place
        var third = workers.HandAsync(Message("a", 3), CancellationToken.None);
        Assert.False(third.IsCompleted); // the reader would pause here: nothing more is read
        Assert.Empty(routed);

        gate.SetResult();
        await third.AsTask().WaitAsync(T);
        await workers.StopAsync(new CancellationTokenSource(T).Token);
        Assert.Equal([1, 2, 3], routed);
    }

    [Fact]
    public async Task A_hand_off_waiting_for_room_gives_up_when_its_connection_closes()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = new RouteWorkers(1, 1, async (_, _, _) =>
        {
            started.TrySetResult();
            await gate.Task;
        }, null, new CollectingLogger());
        workers.Start();
        await workers.HandAsync(Message("a", 1), CancellationToken.None);
        await started.Task.WaitAsync(T);
        Assert.True(workers.HandAsync(Message("a", 2), CancellationToken.None).IsCompleted);
        using var closing = new CancellationTokenSource();
        var waiting = workers.HandAsync(Message("a", 3), closing.Token);
        Assert.False(waiting.IsCompleted);
        await closing.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.AsTask().WaitAsync(T));
        gate.SetResult();
        await workers.StopAsync(new CancellationTokenSource(T).Token);
    }

    [Fact]
    public async Task A_message_handed_over_after_the_workers_stopped_is_neither_routed_nor_acknowledged_so_the_broker_sends_it_again()
    {
        var routed = 0;
        var workers = new RouteWorkers(1, 4, (_, _, _) =>
        {
            Interlocked.Increment(ref routed);
            return ValueTask.CompletedTask;
        }, topic => new RouteKey(RouteKey.Of(topic), BuiltInOnly: true), new CollectingLogger());
        workers.Start();
        await workers.StopAsync(new CancellationTokenSource(T).Token);

        var accepted = await workers.HandAsync(Message("t", 1, qos: 1), CancellationToken.None);
        Assert.False(accepted.IsCompleted);
        Assert.Equal(0, Volatile.Read(ref routed));
    }

    [Fact]
    public async Task A_route_that_throws_is_logged_and_counted_and_the_next_message_goes_on()
    {
        var log = new CollectingLogger();
        var routed = new ConcurrentQueue<int>();
        var workers = new RouteWorkers(2, 4, (message, _, _) =>
        {
            if (Number(message) == 1)
            {
                throw new InvalidOperationException("step exploded");
            }

            routed.Enqueue(Number(message));
            return ValueTask.CompletedTask;
        }, null, log);
        workers.Start();

        var first = await workers.HandAsync(Message("t", 1, qos: 1), CancellationToken.None);
        var second = await workers.HandAsync(Message("t", 2, qos: 1), CancellationToken.None);
        await first.WaitAsync(T); // acknowledged anyway, as a failing handler is today
        await second.WaitAsync(T);
        Assert.Equal([2], routed);
        Assert.Equal(1, workers.Failures);
        Assert.Contains(log.Messages(LogLevel.Error), m => m.Contains("Routing the message on t failed"));
        await workers.StopAsync(new CancellationTokenSource(T).Token);
    }

    [Fact]
    public async Task A_lone_message_on_built_in_routes_is_routed_on_the_calling_thread_and_others_on_a_worker()
    {
        var threads = new ConcurrentDictionary<string, int>();
        var workers = new RouteWorkers(2, 4, (message, _, _) =>
        {
            threads[message.Topic] = Environment.CurrentManagedThreadId;
            return ValueTask.CompletedTask;
        }, topic => new RouteKey(RouteKey.Of(topic), BuiltInOnly: topic.StartsWith("plain/", StringComparison.Ordinal)), new CollectingLogger());
        workers.Start();

        var caller = Environment.CurrentManagedThreadId;
        await await workers.HandAsync(Message("plain/1", 1), CancellationToken.None);
        Assert.Equal(caller, threads["plain/1"]);
        Assert.Equal(1, workers.RoutedInline);

        // A route with a user function or a plugin stage never runs on the reader's thread.
        var routed = await workers.HandAsync(Message("udf/1", 1, qos: 1), CancellationToken.None);
        await routed.WaitAsync(T);
        Assert.NotEqual(caller, threads["udf/1"]);
        Assert.Equal(1, workers.RoutedInline);
        await workers.StopAsync(new CancellationTokenSource(T).Token);
    }

    [Fact]
    public async Task Acknowledgements_leave_in_arrival_order_when_a_later_message_on_another_worker_is_accepted_first()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions { KeepAliveSeconds = 5, PingTimeout = TimeSpan.FromMinutes(1), ConnectTimeout = TimeSpan.FromHours(1) });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fastRouted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = new RouteWorkers(2, 4, async (message, acceptance, _) =>
        {
            if (message.Topic == "slow")
            {
                await gate.Task;
            }
            else
            {
                fastRouted.TrySetResult();
            }
        }, null, new CollectingLogger());
        var (slow, fast) = TopicsOnTwoWorkers(workers, "slow", "fast");
        workers.Start();
        harness.Client.MessageAccepting = workers.HandAsync;
        var broker = await harness.StartAsync();
        await broker.SendAsync(new PublishPacket(Message(slow, 1, qos: 1), 1));
        await broker.SendAsync(new PublishPacket(Message(fast, 2, qos: 1), 2));

        // The later message is routed and accepted on its own worker while the first one is still being routed...
        await fastRouted.Task.WaitAsync(T);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.IsType<PingReqPacket>(await broker.ReadAsync(T)); // ...but is not acknowledged ahead of it
        await broker.SendAsync(PingRespPacket.Instance);

        gate.SetResult();
        Assert.Equal(new PubAckPacket(1), await broker.ReadAsync(T));
        Assert.Equal(new PubAckPacket(2), await broker.ReadAsync(T));
        await workers.StopAsync(new CancellationTokenSource(T).Token);
    }
}
