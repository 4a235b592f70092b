using Hub.Delivery;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Delivery;

/// <summary>
/// A durable target's journal is its backlog: the queue is only a window over it. A target that is down collects its
/// items on disk instead of dropping them to the dead letters, and delivers them in order when it is back; a full
/// journal follows <c>when_full</c>; the counters show the backlog.
/// </summary>
public sealed class BacklogTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider _time = new();
    private readonly CollectingLogger _log = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TempDirectory _temp = new();
    private readonly OutageSink _sink = new();
    private JournalSet _journals = null!;

    public Task InitializeAsync()
    {
        _journals = new JournalSet(_temp.File("journal"), _log);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _journals.DisposeAsync();
        _stop.Dispose();
        _temp.Dispose();
    }

    private TargetQueue Queue(int window, long maxJournalBytes = 64 << 20, JournalFull whenFull = JournalFull.DeadLetter)
    {
        var policy = new DeliveryPolicy
        {
            Durable = true, MaxQueue = window, MaxJournalBytes = maxJournalBytes, WhenFull = whenFull,
            Retries = 1000, Backoff = TimeSpan.FromHours(1), MaxBackoff = TimeSpan.FromHours(1), MaxAge = TimeSpan.FromDays(1),
        };
        var queue = new TargetQueue("svc", "t", new RunningSink("svc", _sink, Wait, _log), window, policy, _time, _log)
        {
            Jitter = () => 1.0,
            DeadLetters = new DeadLetterStore(_temp.File("dead-letters"), _time),
        };
        queue.Journal = _journals.Open("svc", "t");
        queue.Start(_stop.Token);
        return queue;
    }

    /// <summary>
    /// The target is back; time moves on by <paramref name="by"/> (an hour unless said), firing the retry that is due.
    /// Advancing past the retry's due time stops the clock at it first (FakeTimeProvider fires each timer at its own
    /// time), so items the drain completes while Advance is still running would be stamped at that earlier time.
    /// </summary>
    private async Task BringBackAsync(TimeSpan? by = null)
    {
        _sink.Down = false;
        await _time.WaitForTimerAsync(TimeSpan.FromHours(1), Wait);
        _time.Advance(by ?? TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task A_20000_item_backlog_behind_a_target_that_is_down_arrives_complete_and_in_order_with_no_dead_letters()
    {
        var queue = Queue(window: 100);
        var messages = Enumerable.Range(0, 20_000).Select(i => $"m{i:D5}").ToList();
        foreach (var message in messages)
        {
            Assert.True(queue.EnqueueAsync(Some.Item(message), CancellationToken.None).IsCompleted, "a durable target's backlog made routing wait");
        }

        await Condition.UntilAsync(() => _sink.Attempts >= 1, Wait);
        await _time.WaitForTimerAsync(TimeSpan.FromHours(1), Wait); // the retry is scheduled, an hour after the first attempt
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(20_000, queue.Counters.BacklogItems);
        Assert.True(queue.Counters.BacklogBytes > 20_000 * 50, $"{queue.Counters.BacklogBytes} bytes journaled"); // 78 bytes a record here
        Assert.Equal(TimeSpan.FromSeconds(30), queue.Counters.OldestAge);
        Assert.Equal((0L, 0L), (queue.Counters.DeadLettered, queue.Counters.Dropped));

        // Exactly to the retry's due time: the whole drain happens at one instant. (Advancing a full hour, past it, made
        // the clock stop at the due time while the retry fired, then jump 30 s on: under a loaded suite some items were
        // done at the earlier instant, 30 s before the rest, and fell out of the ten-second drain rate.)
        await BringBackAsync(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(30));
        await Condition.UntilAsync(() => queue.Counters.Sent == 20_000, Wait);
        Assert.Equal(messages, _sink.Delivered);
        await Condition.UntilAsync(() => queue.Counters.BacklogBytes == 0, Wait); // every item done (counted, then its record)
        Assert.Equal((0L, 0L, 0L), (queue.Counters.BacklogItems, queue.Counters.DeadLettered, queue.Counters.Dropped));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2_000, queue.Counters.DrainRate); // 20,000 done within the last ten seconds
    }

    [Fact]
    public async Task A_full_journal_of_a_failing_target_drops_its_oldest_queued_item_to_the_dead_letters_with_when_full_dead_letter()
    {
        var queue = Queue(window: 10, maxJournalBytes: 1);
        await queue.EnqueueAsync(Some.Item("m0"), CancellationToken.None);
        await Condition.UntilAsync(() => queue.IsFailing, Wait); // m0 is being retried: the journal is full
        await queue.EnqueueAsync(Some.Item("m1"), CancellationToken.None).AsTask().WaitAsync(Wait);
        await queue.EnqueueAsync(Some.Item("m2"), CancellationToken.None).AsTask().WaitAsync(Wait);

        Assert.Equal((1L, 1L), (queue.Counters.Dropped, queue.Counters.DeadLettered)); // m1 made room for m2
        await BringBackAsync();
        await Condition.UntilAsync(() => queue.Counters.Sent == 2, Wait);
        Assert.Equal(["m0", "m2"], _sink.Delivered);
    }

    [Fact]
    public async Task A_full_journal_of_a_failing_target_makes_new_items_wait_with_when_full_block_and_nothing_is_dead_lettered()
    {
        var queue = Queue(window: 10, maxJournalBytes: 1, whenFull: JournalFull.Block);
        await queue.EnqueueAsync(Some.Item("m0"), CancellationToken.None);
        await Condition.UntilAsync(() => queue.IsFailing, Wait);
        var blocked = queue.EnqueueAsync(Some.Item("m1"), CancellationToken.None).AsTask();
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(1), Wait); // it waits for room, looking again every second
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(blocked.IsCompleted, "taken although the journal was full");

        await BringBackAsync();
        await blocked.WaitAsync(Wait);
        await Condition.UntilAsync(() => queue.Counters.Sent == 2, Wait);
        Assert.Equal(["m0", "m1"], _sink.Delivered);
        Assert.Equal((0L, 0L), (queue.Counters.Dropped, queue.Counters.DeadLettered));
    }

    [Fact]
    public async Task Items_that_arrive_while_the_backlog_drains_queue_behind_it()
    {
        var queue = Queue(window: 5);
        for (var i = 0; i < 50; i++)
        {
            await queue.EnqueueAsync(Some.Item($"old{i:D2}"), CancellationToken.None);
        }

        await Condition.UntilAsync(() => _sink.Attempts >= 1, Wait);
        _sink.Gate = new SemaphoreSlim(0);
        await BringBackAsync();
        _sink.Gate.Release(10); // ten old ones go, then the target is slow again
        await Condition.UntilAsync(() => queue.Counters.Sent == 10, Wait);
        for (var i = 0; i < 5; i++)
        {
            await queue.EnqueueAsync(Some.Item($"new{i}"), CancellationToken.None);
        }

        _sink.Gate.Release(1000);
        await Condition.UntilAsync(() => queue.Counters.Sent == 55, Wait);
        Assert.Equal([.. Enumerable.Range(0, 50).Select(i => $"old{i:D2}"), .. Enumerable.Range(0, 5).Select(i => $"new{i}")], _sink.Delivered);
    }

    /// <summary>Refuses everything (HTTP 503) while <see cref="Down"/>; then records what it gets, optionally one item per <see cref="Gate"/> release.</summary>
    private sealed class OutageSink : ISink
    {
        private int _attempts;
        private volatile bool _down = true;

        public bool Down { get => _down; set => _down = value; }
        public SemaphoreSlim? Gate { get; set; }
        public List<string> Delivered { get; } = [];
        public int Attempts => Volatile.Read(ref _attempts);

        public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            if (Down)
            {
                throw new TransientDeliveryException("HTTP 503");
            }

            if (Gate is { } gate)
            {
                await gate.WaitAsync(cancellationToken);
            }

            lock (Delivered)
            {
                Delivered.Add(item.Message);
            }
        }
    }
}
