using Hub.Delivery;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Delivery;

public sealed class TargetQueueTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Items_reach_the_target_in_arrival_order()
    {
        var sink = new CollectingSink();
        var queue = new TargetQueue("svc", "t", new RunningSink("svc", sink, Wait, new CollectingLogger()), 100);
        using var stop = new CancellationTokenSource();
        queue.Start(stop.Token);
        for (var i = 0; i < 50; i++)
        {
            await queue.EnqueueAsync(Some.Item($"m{i}"), CancellationToken.None);
        }

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal($"m{i}", (await sink.NextAsync(Wait)).Message);
        }

        Assert.Equal(50, queue.Counters.Sent);
    }

    [Fact]
    public async Task A_slow_target_does_not_delay_a_fast_one()
    {
        var slow = new BlockingSink();
        var fast = new CollectingSink();
        var log = new CollectingLogger();
        var slowQueue = new TargetQueue("slow", null, new RunningSink("slow", slow, Wait, log), 100);
        var fastQueue = new TargetQueue("fast", null, new RunningSink("fast", fast, Wait, log), 100);
        using var stop = new CancellationTokenSource();
        slowQueue.Start(stop.Token);
        fastQueue.Start(stop.Token);
        for (var i = 0; i < 10; i++)
        {
            await slowQueue.EnqueueAsync(Some.Item($"m{i}"), CancellationToken.None);
            await fastQueue.EnqueueAsync(Some.Item($"m{i}"), CancellationToken.None);
        }

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal($"m{i}", (await fast.NextAsync(Wait)).Message);
        }

        await WaitUntil(() => slow.Started >= 1); // on a busy machine the slow worker may not have begun yet
        Assert.Equal(1, slow.Started); // still stuck on the first item while the fast target got all ten
        slow.Release();
        await slowQueue.DrainAsync(new CancellationTokenSource(Wait).Token);
        Assert.Equal(10, slowQueue.Counters.Sent);
    }

    [Fact]
    public async Task A_failing_target_is_logged_with_service_target_topic_and_reason_and_counted()
    {
        var log = new CollectingLogger();
        var sink = new ThrowingSink();
        var queue = new TargetQueue("smtp", "ops", new RunningSink("smtp", sink, Wait, log), 10);
        queue.Start(CancellationToken.None);
        await queue.EnqueueAsync(Some.Item("x", topic: "alarms/1", target: "ops"), CancellationToken.None);
        await queue.EnqueueAsync(Some.Item("y", topic: "alarms/2", target: "ops"), CancellationToken.None);
        await queue.DrainAsync(new CancellationTokenSource(Wait).Token);

        Assert.Equal(2, queue.Counters.Failed);
        var warning = log.Messages(LogLevel.Warning).First();
        Assert.Contains("service=smtp", warning);
        Assert.Contains("target=ops", warning);
        Assert.Contains("topic=alarms/1", warning);
        Assert.Contains("the service refused the message", warning);
    }

    [Fact]
    public async Task A_hanging_target_times_out_and_the_next_item_is_delivered()
    {
        var log = new CollectingLogger();
        var hanging = new BlockingSink();
        var running = new RunningSink("hang", hanging, TimeSpan.FromMilliseconds(200), log);
        Assert.False(await running.DeliverAsync(Some.Item("a"), CancellationToken.None));
        Assert.Contains(log.Messages(LogLevel.Warning), m => m.Contains("timed out"));
        hanging.Release();
        Assert.True(await running.DeliverAsync(Some.Item("b"), CancellationToken.None));
    }

    [Fact]
    public async Task A_full_queue_makes_the_producer_wait_instead_of_growing()
    {
        var blocked = new BlockingSink();
        var queue = new TargetQueue("svc", null, new RunningSink("svc", blocked, Wait, new CollectingLogger()), 2);
        queue.Start(CancellationToken.None);
        await queue.EnqueueAsync(Some.Item("1"), CancellationToken.None); // taken by the worker
        await WaitUntil(() => blocked.Started == 1);
        await queue.EnqueueAsync(Some.Item("2"), CancellationToken.None);
        await queue.EnqueueAsync(Some.Item("3"), CancellationToken.None);
        var fourth = queue.EnqueueAsync(Some.Item("4"), CancellationToken.None).AsTask();
        Assert.False(fourth.IsCompleted);
        blocked.Release();
        await fourth.WaitAsync(Wait);
        await queue.DrainAsync(new CancellationTokenSource(Wait).Token);
        Assert.Equal(4, queue.Counters.Sent);
    }

    [Fact]
    public async Task A_batch_sink_gets_what_is_queued_as_batches_in_arrival_order()
    {
        var sink = new BatchCollectingSink();
        var queue = new TargetQueue("svc", "t", new RunningSink("svc", sink, Wait, new CollectingLogger()), 1000);
        for (var i = 0; i < 100; i++)
        {
            await queue.EnqueueAsync(Some.Item($"m{i}"), CancellationToken.None); // queued before the worker starts
        }

        queue.Start(CancellationToken.None);
        await queue.DrainAsync(new CancellationTokenSource(Wait).Token);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"m{i}"), sink.Batches.SelectMany(b => b));
        Assert.Equal([64, 36], sink.Batches.Select(b => b.Count));
        Assert.Equal(100, queue.Counters.Sent);
    }

    [Fact]
    public async Task A_sink_that_throws_synchronously_is_logged_and_the_worker_goes_on()
    {
        var log = new CollectingLogger();
        var sink = new SynchronouslyThrowingSink();
        var queue = new TargetQueue("svc", "t", new RunningSink("svc", sink, Wait, log), 10);
        queue.Start(CancellationToken.None);
        await queue.EnqueueAsync(Some.Item("bad"), CancellationToken.None);
        await queue.EnqueueAsync(Some.Item("good"), CancellationToken.None);
        await queue.DrainAsync(new CancellationTokenSource(Wait).Token);
        Assert.Equal(1, queue.Counters.Failed);
        Assert.Equal(1, queue.Counters.Sent);
        Assert.Contains(log.Messages(LogLevel.Warning), m => m.Contains("boom on bad"));
    }

    private sealed class BatchCollectingSink : Hub.Plugins.IBatchSink
    {
        public List<List<string>> Batches { get; } = [];
        public int MaxBatchSize => 64;

        public ValueTask SendAsync(Hub.Plugins.DeliveryItem item, CancellationToken cancellationToken) => throw new InvalidOperationException("batches only");

        public ValueTask SendBatchAsync(IReadOnlyList<Hub.Plugins.DeliveryItem> items, CancellationToken cancellationToken)
        {
            Batches.Add(items.Select(i => i.Message).ToList());
            return ValueTask.CompletedTask;
        }
    }

    private sealed class SynchronouslyThrowingSink : Hub.Plugins.ISink
    {
        public ValueTask SendAsync(Hub.Plugins.DeliveryItem item, CancellationToken cancellationToken) =>
            item.Message == "bad" ? throw new InvalidOperationException("boom on bad") : ValueTask.CompletedTask;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (!condition())
        {
            await Task.Yield();
            timeout.Token.ThrowIfCancellationRequested();
        }
    }
}
