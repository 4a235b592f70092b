using System.Collections.Concurrent;
using Hub.Delivery;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Delivery;

/// <summary>
/// Inline delivery: an idle target whose plugin says an item cannot block gets it on the enqueuing thread; otherwise,
/// and whenever something is queued or being delivered, the worker delivers; the order holds across both.
/// </summary>
public sealed class InlineDeliveryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_idle_target_gets_the_item_on_the_enqueuing_thread_before_enqueue_returns()
    {
        var sink = new RecordingSink();
        var queue = Start(sink, inline: true);
        var caller = Environment.CurrentManagedThreadId;

        var enqueued = queue.EnqueueAsync(Some.Item("m0"), CancellationToken.None);

        Assert.True(enqueued.IsCompletedSuccessfully);
        Assert.Equal([("m0", caller)], sink.Calls);
        Assert.Equal(1, queue.Counters.Sent);
        await queue.DrainAsync(new CancellationTokenSource(Wait).Token);
    }

    [Fact]
    public async Task With_inline_off_the_worker_delivers_and_enqueue_does_not_wait_for_the_plugin()
    {
        using var release = new ManualResetEventSlim(false);
        var sink = new RecordingSink { Block = release };
        var queue = Start(sink, inline: false);

        await queue.EnqueueAsync(Some.Item("m0"), CancellationToken.None).AsTask().WaitAsync(Wait); // would never return if made inline
        await Condition.UntilAsync(() => sink.Started == 1, Wait);
        release.Set();
        await queue.DrainAsync(new CancellationTokenSource(Wait).Token);

        Assert.Equal(["m0"], sink.Calls.Select(c => c.Message));
        Assert.Equal(1, queue.Counters.Sent);
    }

    [Fact]
    public async Task An_item_the_plugin_will_not_take_inline_goes_to_the_worker_and_later_items_queue_behind_it()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = new RecordingSink { Hold = release.Task, BlockOn = "slow" };
        var queue = Start(sink, inline: true);

        await queue.EnqueueAsync(Some.Item("slow"), CancellationToken.None); // not inline: the worker waits in it
        await Condition.UntilAsync(() => sink.Started == 1, Wait);
        for (var i = 1; i <= 20; i++)
        {
            await queue.EnqueueAsync(Some.Item($"m{i}"), CancellationToken.None); // the worker is busy: queued, not inline
        }

        Assert.Equal(["slow"], sink.Calls.Select(c => c.Message)); // nothing overtook the item being delivered
        release.SetResult();
        await Condition.UntilAsync(() => sink.Calls.Count == 21, Wait);
        Assert.Equal(["slow", .. Enumerable.Range(1, 20).Select(i => $"m{i}")], sink.Calls.Select(c => c.Message));

        // Idle again: the next one is inline once more.
        var n = 0;
        await Condition.UntilAsync(
            () =>
            {
                var message = $"again{n++}";
                var me = Environment.CurrentManagedThreadId;
                var enqueued = queue.EnqueueAsync(Some.Item(message), CancellationToken.None);
                return enqueued.IsCompletedSuccessfully && sink.Calls[^1] == (message, me);
            },
            Wait);
        await queue.DrainAsync(new CancellationTokenSource(Wait).Token);
    }

    [Fact]
    public async Task A_failed_inline_attempt_is_retried_under_the_policy_and_items_behind_it_wait_their_turn()
    {
        var sink = new RecordingSink { FailFirst = 1 };
        var policy = DeliveryPolicy.None with { Retries = 2, Backoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(20) };
        var queue = Start(sink, inline: true, policy);

        await queue.EnqueueAsync(Some.Item("m0"), CancellationToken.None); // fails inline, waits for its retry
        for (var i = 1; i <= 5; i++)
        {
            await queue.EnqueueAsync(Some.Item($"m{i}"), CancellationToken.None);
        }

        await Condition.UntilAsync(() => queue.Counters.Sent == 6, Wait);
        Assert.Equal(["m0", "m0", "m1", "m2", "m3", "m4", "m5"], sink.Calls.Select(c => c.Message));
        Assert.Equal((1, 1), (queue.Counters.Threw, queue.Counters.Retried));
        await queue.DrainAsync(new CancellationTokenSource(Wait).Token);
    }

    [Fact]
    public async Task A_plugin_that_throws_while_answering_is_delivered_to_by_the_worker()
    {
        var sink = new RecordingSink { ThrowOnAsk = true };
        var queue = Start(sink, inline: true);

        await queue.EnqueueAsync(Some.Item("m0"), CancellationToken.None);
        await Condition.UntilAsync(() => sink.Calls.Count == 1, Wait);
        await queue.DrainAsync(new CancellationTokenSource(Wait).Token);

        Assert.Equal(1, queue.Counters.Sent);
        Assert.Equal("m0", sink.Calls[0].Message);
    }

    [Fact]
    public void The_inline_key_turns_it_off_per_service_or_target_and_must_be_a_boolean()
    {
        var config = ConfigTestLoader.LoadValid("""
            [defaults]
            launch = file

            [config:file]
            inline = False
            inline.fast = True
            targets = { 'nfs': ['/mnt/nfs/x'], 'fast': ['/tmp/x'] }
            """);
        var service = config.FindService("file")!;
        Assert.False(DeliveryPolicy.For(service, "nfs", config.Defaults).Inline);
        Assert.True(DeliveryPolicy.For(service, "fast", config.Defaults).Inline);
        Assert.True(DeliveryPolicy.None.Inline);

        var bad = ConfigTestLoader.LoadValid("""
            [defaults]
            launch = file

            [config:file]
            inline = sometimes
            targets = { 'out': ['/tmp/x'] }
            """);
        var problem = Assert.Single(DeliveryPolicy.Check(bad.FindService("file")!));
        Assert.Equal((5, "[config:file]: inline must be a boolean (true/false), not 'sometimes'"), (problem.Location.Line, problem.Message));
    }

    private static TargetQueue Start(RecordingSink sink, bool inline, DeliveryPolicy? policy = null)
    {
        var queue = new TargetQueue("svc", "t", new RunningSink("svc", sink, Wait, new CollectingLogger()), 100, policy) { Inline = inline };
        queue.Start(CancellationToken.None);
        return queue;
    }

    /// <summary>Records each delivery with its thread; can block on one message or fail the first attempts.</summary>
    private sealed class RecordingSink : IInlineSink
    {
        private readonly ConcurrentQueue<(string Message, int Thread)> _calls = new();
        private int _started;
        private int _failed;

        public ManualResetEventSlim? Block { get; init; }
        public Task? Hold { get; init; }
        public string? BlockOn { get; init; }
        public int FailFirst { get; init; }
        public bool ThrowOnAsk { get; init; }
        public int Started => Volatile.Read(ref _started);
        public IReadOnlyList<(string Message, int Thread)> Calls => [.. _calls];

        public bool CanSendInline(DeliveryItem item) => ThrowOnAsk ? throw new InvalidOperationException("cannot tell") : item.Message != BlockOn;

        public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _started);
            _calls.Enqueue((item.Message, Environment.CurrentManagedThreadId));
            if (Block is not null)
            {
                Block.Wait(cancellationToken); // blocks the calling thread
            }

            if (Hold is not null && item.Message == BlockOn)
            {
                return new ValueTask(Hold); // waits without blocking a thread
            }

            if (Interlocked.Increment(ref _failed) <= FailFirst)
            {
                throw new TransientDeliveryException("not yet");
            }

            return ValueTask.CompletedTask;
        }
    }
}
