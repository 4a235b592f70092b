using Hub.Delivery;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Delivery;

/// <summary>
/// When a received message counts as accepted (and may be acknowledged to the broker): a plain target once it
/// delivered the item or gave it up to the dead letters, a durable one once the journal record is on disk, a failed-over
/// item once the failover target accepted it; and a durable target's journal bounded by <c>max_journal_bytes</c>.
/// </summary>
public sealed class AcceptanceTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new();
    private readonly CollectingLogger _log = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _temp.Dispose();
    }

    private TargetQueue Queue(ISink sink, DeliveryPolicy policy, string target = "t", bool start = true)
    {
        var queue = new TargetQueue("svc", target, new RunningSink("svc", sink, Wait, _log), 100, policy, _time, _log) { Jitter = () => 1.0 };
        if (start)
        {
            queue.Start(_stop.Token);
        }

        return queue;
    }

    private QueuedItem Item(string message, AcceptanceTicket ticket) => new(Some.Item(message), _time.GetUtcNow()) { Ticket = ticket };

    [Fact]
    public async Task A_message_is_accepted_when_every_target_delivered_it_and_not_before()
    {
        var fast = new ScriptedSink(_time, [null]);
        var slow = new BlockingSink();
        var acceptance = new MessageAcceptance();
        await Queue(fast, DeliveryPolicy.None, "fast").EnqueueAsync(Item("m", acceptance.Take()), CancellationToken.None);
        await Queue(slow, DeliveryPolicy.None, "slow").EnqueueAsync(Item("m", acceptance.Take()), CancellationToken.None);
        acceptance.Seal();

        await fast.NextCallAsync(Wait);
        await Condition.UntilAsync(() => slow.Started == 1, Wait);
        Assert.False(acceptance.Accepted.IsCompleted, "accepted while one target was still delivering");
        slow.Release();
        await acceptance.Accepted.WaitAsync(Wait);
    }

    [Fact]
    public async Task A_message_routed_nowhere_is_accepted_when_sealed()
    {
        var acceptance = new MessageAcceptance();
        Assert.False(acceptance.Accepted.IsCompleted);
        acceptance.Seal();
        Assert.True(acceptance.Accepted.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_durable_target_accepts_once_the_journal_record_is_on_disk_while_delivery_still_fails()
    {
        var down = new ScriptedSink(_time, new TransientDeliveryException("HTTP 503"));
        var queue = Queue(down, new DeliveryPolicy { Retries = 100, Backoff = TimeSpan.FromHours(1), MaxBackoff = TimeSpan.FromHours(1), MaxAge = TimeSpan.FromDays(1) }, start: false);
        await using var journals = new JournalSet(_temp.Path, _log);
        queue.Journal = journals.Open("svc", "t");
        queue.Start(_stop.Token);
        var acceptance = new MessageAcceptance();
        await queue.EnqueueAsync(Item("kept", acceptance.Take()), CancellationToken.None);
        acceptance.Seal();

        await acceptance.Accepted.WaitAsync(Wait);
        await down.NextCallAsync(Wait);
        Assert.Equal(0, queue.Counters.Sent);
        Assert.True(queue.Journal.PendingBytes > 0);
    }

    [Fact]
    public async Task A_failed_over_item_is_accepted_only_when_the_failover_target_delivered_it()
    {
        var blocked = new BlockingSink();
        var backup = Queue(blocked, DeliveryPolicy.None, "backup");
        var primary = Queue(new ScriptedSink(_time, new PermanentDeliveryException("HTTP 400")), DeliveryPolicy.None, "primary");
        primary.Failover = async (queued, _) =>
        {
            await backup.EnqueueAsync(queued with { Ticket = queued.Ticket?.Split() }, CancellationToken.None);
            return true;
        };
        var acceptance = new MessageAcceptance();
        await primary.EnqueueAsync(Item("m", acceptance.Take()), CancellationToken.None);
        acceptance.Seal();

        await Condition.UntilAsync(() => primary.Counters.FailedOver == 1, Wait);
        await Condition.UntilAsync(() => blocked.Started == 1, Wait);
        Assert.False(acceptance.Accepted.IsCompleted, "accepted before the failover target delivered");
        blocked.Release();
        await acceptance.Accepted.WaitAsync(Wait);
    }

    [Fact]
    public async Task A_given_up_item_is_accepted_once_it_is_a_dead_letter()
    {
        var queue = Queue(new ScriptedSink(_time, new PermanentDeliveryException("HTTP 400")), DeliveryPolicy.None);
        queue.DeadLetters = new DeadLetterStore(Path.Combine(_temp.Path, "dlq"), _time);
        var acceptance = new MessageAcceptance();
        await queue.EnqueueAsync(Item("m", acceptance.Take()), CancellationToken.None);
        acceptance.Seal();

        await acceptance.Accepted.WaitAsync(Wait);
        Assert.Equal(1, queue.Counters.DeadLettered);
    }

    [Fact]
    public async Task A_failing_target_stops_holding_acknowledgements_for_what_waits_for_it_and_for_what_comes_next()
    {
        var down = new ScriptedSink(_time, new TransientDeliveryException("HTTP 503"));
        var queue = Queue(down, new DeliveryPolicy { Retries = 100, Backoff = TimeSpan.FromHours(1), MaxBackoff = TimeSpan.FromHours(1), MaxAge = TimeSpan.FromDays(1) });
        var first = new MessageAcceptance();
        var second = new MessageAcceptance();
        await queue.EnqueueAsync(Item("first", first.Take()), CancellationToken.None);
        await queue.EnqueueAsync(Item("second", second.Take()), CancellationToken.None);
        first.Seal();
        second.Seal();

        // The first attempt fails: the retry comes in an hour, and nothing waits for it meanwhile.
        await Task.WhenAll(first.Accepted, second.Accepted).WaitAsync(Wait);
        Assert.Equal(0, queue.Counters.Sent);
        Assert.Contains(_log.Records, r => r.Message.Contains("Target svc:t is failing: 2 messages waiting for it are acknowledged", StringComparison.Ordinal));

        var third = new MessageAcceptance();
        await queue.EnqueueAsync(Item("third", third.Take()), CancellationToken.None);
        third.Seal();
        Assert.True(third.Accepted.IsCompletedSuccessfully, "a failing target accepts at once");
    }

    [Fact]
    public void A_ticket_accepted_twice_counts_once()
    {
        var acceptance = new MessageAcceptance();
        var first = acceptance.Take();
        var second = acceptance.Take();
        acceptance.Seal();
        first.Accept();
        first.Accept();
        Assert.False(acceptance.Accepted.IsCompleted);
        second.Accept();
        Assert.True(acceptance.Accepted.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_full_journal_makes_enqueue_wait_while_the_target_delivers_and_resumes_when_items_are_done()
    {
        var sink = new BlockingSink();
        var queue = Queue(sink, new DeliveryPolicy { MaxJournalBytes = 1 }, start: false);
        await using var journals = new JournalSet(_temp.Path, _log);
        queue.Journal = journals.Open("svc", "t");
        queue.Start(_stop.Token);

        await queue.EnqueueAsync(Some.Item("first"), CancellationToken.None);
        var second = queue.EnqueueAsync(Some.Item("second"), CancellationToken.None).AsTask();
        await Condition.UntilAsync(() => sink.Started == 1, Wait);
        Assert.False(second.IsCompleted, "the journal is over max_journal_bytes: the second item must wait");
        sink.Release();
        await second.WaitAsync(Wait);
        await Condition.UntilAsync(() => queue.Counters.Sent == 2, Wait);
        Assert.Equal(0, queue.Counters.Dropped);
    }

    [Fact]
    public async Task A_full_journal_drops_the_oldest_to_the_dead_letters_while_the_target_is_failing()
    {
        var down = new ScriptedSink(_time, new TransientDeliveryException("HTTP 503"));
        var queue = Queue(down, new DeliveryPolicy { Retries = 100, Backoff = TimeSpan.FromHours(1), MaxBackoff = TimeSpan.FromHours(1), MaxAge = TimeSpan.FromDays(1), MaxJournalBytes = 1 }, start: false);
        await using var journals = new JournalSet(_temp.Path, _log);
        queue.Journal = journals.Open("svc", "t");
        queue.DeadLetters = new DeadLetterStore(Path.Combine(_temp.Path, "dlq"), _time);
        queue.Start(_stop.Token);

        await queue.EnqueueAsync(Some.Item("first"), CancellationToken.None);
        await down.NextCallAsync(Wait);
        await Condition.UntilAsync(() => queue.IsFailing, Wait); // first is in retry: the target is failing
        await queue.EnqueueAsync(Some.Item("second"), CancellationToken.None).AsTask().WaitAsync(Wait);
        await queue.EnqueueAsync(Some.Item("third"), CancellationToken.None).AsTask().WaitAsync(Wait);

        Assert.Equal(1, queue.Counters.Dropped); // "second" made room for "third"; "first" is the one being retried
        Assert.Contains(_log.Records, r => r.Message.Contains("the journal of failing target svc:t is full", StringComparison.Ordinal));
    }
}
