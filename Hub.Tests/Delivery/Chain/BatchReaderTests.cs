using System.Threading.Channels;
using Hub.Delivery;
using Hub.Delivery.Chain;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Delivery.Chain;

/// <summary>Host-side batching on a fake clock: a batch leaves when it is full or when its oldest item is <c>batch_wait</c> old.</summary>
public sealed class BatchReaderTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly Channel<QueuedItem> _queue = Channel.CreateUnbounded<QueuedItem>();

    private QueuedItem Queue(string message)
    {
        var item = new QueuedItem(Some.Item(message), _time.GetUtcNow());
        _queue.Writer.TryWrite(item);
        return item;
    }

    private async Task<List<QueuedItem>> FirstBatchAsync(BatchReader reader, List<QueuedItem> batch)
    {
        var first = await _queue.Reader.ReadAsync();
        await reader.FillAsync(batch, first);
        return batch;
    }

    [Fact]
    public async Task Without_a_wait_a_batch_takes_what_is_queued_and_leaves_at_once()
    {
        Queue("a");
        Queue("b");
        var batch = await FirstBatchAsync(new BatchReader(_queue.Reader, 10, TimeSpan.Zero, _time), []);
        Assert.Equal(["a", "b"], batch.Select(q => q.Item.Message));
    }

    [Fact]
    public async Task A_full_batch_leaves_before_its_time()
    {
        for (var i = 0; i < 5; i++)
        {
            Queue($"m{i}");
        }

        var batch = await FirstBatchAsync(new BatchReader(_queue.Reader, 3, TimeSpan.FromSeconds(5), _time), []);
        Assert.Equal(["m0", "m1", "m2"], batch.Select(q => q.Item.Message));
    }

    [Fact]
    public async Task A_batch_waits_for_more_until_its_oldest_item_is_batch_wait_old()
    {
        var reader = new BatchReader(_queue.Reader, 100, TimeSpan.FromMilliseconds(500), _time);
        Queue("a");
        var filling = FirstBatchAsync(reader, []);
        await _time.WaitForTimerAsync(TimeSpan.FromMilliseconds(500), Wait);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        Queue("b"); // joins the waiting batch
        await _time.WaitForTimerAsync(TimeSpan.FromMilliseconds(300), Wait);
        Assert.False(filling.IsCompleted, "left before its oldest item was 500 ms old");
        _time.Advance(TimeSpan.FromMilliseconds(300));

        Assert.Equal(["a", "b"], (await filling.WaitAsync(Wait)).Select(q => q.Item.Message));
    }

    [Fact]
    public async Task A_completed_queue_lets_a_waiting_batch_leave()
    {
        var reader = new BatchReader(_queue.Reader, 100, TimeSpan.FromHours(1), _time);
        Queue("last");
        var filling = FirstBatchAsync(reader, []);
        _queue.Writer.Complete();
        Assert.Equal(["last"], (await filling.WaitAsync(Wait)).Select(q => q.Item.Message));
    }

    [Fact]
    public async Task A_batch_sink_behind_a_queue_with_batch_size_and_batch_wait_gets_full_and_timed_batches_in_order()
    {
        var sink = new BatchSink();
        var queue = new TargetQueue("svc", "t", new RunningSink("svc", sink, Wait, new CollectingLogger()), 100,
            DeliveryPolicy.None with { BatchSize = 4, BatchWait = TimeSpan.FromSeconds(1) }, _time);
        queue.Start(CancellationToken.None);
        for (var i = 0; i < 6; i++)
        {
            await queue.EnqueueAsync(Some.Item($"m{i}"), CancellationToken.None);
        }

        await Condition.UntilAsync(() => sink.Batches.Count == 1, Wait); // full: m0..m3 at once
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(1), Wait);
        Assert.Single(sink.Batches);
        _time.Advance(TimeSpan.FromSeconds(1)); // m4 and m5 are a second old: they leave
        await Condition.UntilAsync(() => sink.Batches.Count == 2, Wait);

        Assert.Equal([["m0", "m1", "m2", "m3"], ["m4", "m5"]], sink.Batches);
        Assert.Equal(6, queue.Counters.Sent);
        await queue.DrainAsync(new CancellationTokenSource(Wait).Token);
    }

    private sealed class BatchSink : IBatchSink
    {
        public List<List<string>> Batches { get; } = [];
        public int MaxBatchSize => 500;

        public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => throw new InvalidOperationException("batches only");

        public ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
        {
            lock (Batches)
            {
                Batches.Add([.. items.Select(i => i.Message)]);
            }

            return ValueTask.CompletedTask;
        }
    }
}
