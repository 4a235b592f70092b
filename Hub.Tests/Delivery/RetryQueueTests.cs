using Hub.Delivery;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Delivery;

/// <summary>
/// A target's queue under its delivery policy, on a fake clock: when retries come, Retry-After, permanent
/// failures, give-up and failover, order, rate limits, de-duplication and overflow while failing.
/// </summary>
public sealed class RetryQueueTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly CollectingLogger _log = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly DateTimeOffset _start;

    public RetryQueueTests() => _start = _time.GetUtcNow();

    private IEnumerable<string> Logged => _log.Records.Select(r => r.Message);

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private TargetQueue Queue(ISink sink, DeliveryPolicy policy, int capacity = 100)
    {
        var queue = new TargetQueue("svc", "t", new RunningSink("svc", sink, Wait, _log), capacity, policy, _time, _log) { Jitter = () => 1.0 };
        queue.Start(_stop.Token);
        return queue;
    }

    private static DeliveryPolicy Retrying(int retries = 3) => new() { Retries = retries, Backoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromMinutes(1), MaxAge = TimeSpan.FromHours(1) };

    private async Task<TimeSpan> NextCallAfterTimerAsync(ScriptedSink sink, TimeSpan advance)
    {
        await _time.WaitForTimerAsync(advance, Wait);
        _time.Advance(advance);
        return (await sink.NextCallAsync(Wait)).At - _start;
    }

    [Fact]
    public async Task A_transient_failure_is_retried_after_1_2_4_seconds_and_then_delivered()
    {
        var transient = new TransientDeliveryException("HTTP 503");
        var sink = new ScriptedSink(_time, transient, transient, transient, null);
        var queue = Queue(sink, Retrying());
        await queue.EnqueueAsync(Some.Item("alarm"), CancellationToken.None);

        Assert.Equal(TimeSpan.Zero, (await sink.NextCallAsync(Wait)).At - _start);
        Assert.Equal(TimeSpan.FromSeconds(1), await NextCallAfterTimerAsync(sink, TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromSeconds(3), await NextCallAfterTimerAsync(sink, TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromSeconds(7), await NextCallAfterTimerAsync(sink, TimeSpan.FromSeconds(4)));

        await WaitUntilAsync(() => queue.Counters.Sent == 1);
        Assert.Equal((1L, 3L, 0L, 3L), (queue.Counters.Sent, queue.Counters.Retried, queue.Counters.Failed, queue.Counters.Threw));
        Assert.All(sink.Calls, c => Assert.Equal("alarm", c.Message));
        Assert.Contains(Logged, l => l.Contains("Retrying svc:t in 1 s (retry 1 of 3)", StringComparison.Ordinal));
        Assert.Contains(Logged, l => l.Contains("Target svc:t delivers again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retry_after_from_the_destination_is_honoured()
    {
        var sink = new ScriptedSink(_time, new TransientDeliveryException("HTTP 429", TimeSpan.FromSeconds(30)), null);
        var queue = Queue(sink, Retrying());
        await queue.EnqueueAsync(Some.Item(), CancellationToken.None);
        await sink.NextCallAsync(Wait);

        // The backoff alone would retry after 1 s; the destination asked for 30.
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(30), Wait);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Single(sink.Calls);
        Assert.Equal(TimeSpan.FromSeconds(30), await NextCallAfterTimerAsync(sink, TimeSpan.FromSeconds(1)));
        await WaitUntilAsync(() => queue.Counters.Sent == 1);
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried_and_goes_to_failover()
    {
        var sink = new ScriptedSink(_time, new PermanentDeliveryException("HTTP 400: bad channel", 400));
        var queue = Queue(sink, Retrying());
        var failedOver = new TaskCompletionSource<(QueuedItem Item, string Reason)>();
        queue.Failover = (item, reason) =>
        {
            failedOver.TrySetResult((item, reason));
            return ValueTask.FromResult(true);
        };
        await queue.EnqueueAsync(Some.Item("x"), CancellationToken.None);

        var (item, reason) = await failedOver.Task.WaitAsync(Wait);
        Assert.Equal("x", item.Item.Message);
        Assert.Equal("a permanent failure: HTTP 400: bad channel", reason);
        await WaitUntilAsync(() => queue.Counters.FailedOver == 1);
        Assert.Single(sink.Calls);
        Assert.Equal((0L, 0L), (queue.Counters.Retried, queue.Counters.Failed));
    }

    [Fact]
    public async Task When_retries_are_exhausted_the_item_is_given_up_logged_and_reported_once()
    {
        var sink = new ScriptedSink(_time, new HttpRequestException("Connection refused"));
        var queue = Queue(sink, Retrying(retries: 2));
        var reports = new List<string>();
        queue.Failing = reports.Add;
        await queue.EnqueueAsync(Some.Item("a"), CancellationToken.None);
        await sink.NextCallAsync(Wait);
        await NextCallAfterTimerAsync(sink, TimeSpan.FromSeconds(1));
        await NextCallAfterTimerAsync(sink, TimeSpan.FromSeconds(2));
        await WaitUntilAsync(() => queue.Counters.Failed == 1);

        // A second item fails permanently-quick once retries run out again: reported only once per episode.
        await queue.EnqueueAsync(Some.Item("b"), CancellationToken.None);
        await sink.NextCallAsync(Wait);
        await NextCallAfterTimerAsync(sink, TimeSpan.FromSeconds(1));
        await NextCallAfterTimerAsync(sink, TimeSpan.FromSeconds(2));
        await WaitUntilAsync(() => queue.Counters.Failed == 2);

        Assert.Equal(6, sink.Calls.Count);
        Assert.Equal(["2 retries exhausted: Connection refused"], reports);
        Assert.Contains(Logged, l => l.Contains("Notification not delivered: 2 retries exhausted: Connection refused. service=svc, target=t, topic=t/1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_item_too_old_for_the_next_retry_is_given_up_before_retries_run_out()
    {
        var sink = new ScriptedSink(_time, new TransientDeliveryException("HTTP 503"));
        var queue = Queue(sink, Retrying(retries: 10) with { MaxAge = TimeSpan.FromSeconds(5) });
        await queue.EnqueueAsync(Some.Item(), CancellationToken.None);
        await sink.NextCallAsync(Wait);
        await NextCallAfterTimerAsync(sink, TimeSpan.FromSeconds(1));
        await NextCallAfterTimerAsync(sink, TimeSpan.FromSeconds(2));

        // The next retry would come at 3 + 4 = 7 s, past the 5 s age limit.
        await WaitUntilAsync(() => queue.Counters.Failed == 1);
        Assert.Equal(3, sink.Calls.Count);
        Assert.Contains(Logged, l => l.Contains("older than retry_max_age (5 s) by the next retry", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Later_items_wait_while_the_first_is_retried_so_order_holds()
    {
        var sink = new ScriptedSink(_time, new TransientDeliveryException("HTTP 503"), null);
        var queue = Queue(sink, Retrying());
        await queue.EnqueueAsync(Some.Item("first"), CancellationToken.None);
        await queue.EnqueueAsync(Some.Item("second"), CancellationToken.None);
        await sink.NextCallAsync(Wait);
        await NextCallAfterTimerAsync(sink, TimeSpan.FromSeconds(1));
        await sink.NextCallAsync(Wait);

        Assert.Equal(["first", "first", "second"], sink.Calls.Select(c => c.Message));
    }

    [Fact]
    public async Task A_rate_limit_spaces_deliveries_and_queues_the_excess()
    {
        var sink = new ScriptedSink(_time, [null]);
        var queue = Queue(sink, DeliveryPolicy.None with { Rate = new RateLimit(2, TimeSpan.FromMinutes(1)) });
        for (var i = 1; i <= 4; i++)
        {
            await queue.EnqueueAsync(Some.Item($"m{i}"), CancellationToken.None);
        }

        Assert.Equal(TimeSpan.Zero, (await sink.NextCallAsync(Wait)).At - _start);
        Assert.Equal(TimeSpan.Zero, (await sink.NextCallAsync(Wait)).At - _start);
        Assert.Equal(TimeSpan.FromSeconds(30), await NextCallAfterTimerAsync(sink, TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromSeconds(60), await NextCallAfterTimerAsync(sink, TimeSpan.FromSeconds(30)));
        Assert.Equal(["m1", "m2", "m3", "m4"], sink.Calls.Select(c => c.Message));
        Assert.Equal(2, queue.Counters.RateLimited);
        Assert.Equal(0, queue.Counters.Dropped);
    }

    [Fact]
    public async Task Identical_notifications_within_the_window_are_sent_once()
    {
        var sink = new ScriptedSink(_time, [null]);
        var queue = Queue(sink, DeliveryPolicy.None with { Dedup = TimeSpan.FromMinutes(10) });
        await queue.EnqueueAsync(Some.Item("disk full"), CancellationToken.None);
        await queue.EnqueueAsync(Some.Item("disk full"), CancellationToken.None);
        await queue.EnqueueAsync(Some.Item("disk ok"), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(9));
        await queue.EnqueueAsync(Some.Item("disk full"), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        await queue.EnqueueAsync(Some.Item("disk full"), CancellationToken.None);

        await WaitUntilAsync(() => queue.Counters.Sent == 3);
        Assert.Equal(["disk full", "disk ok", "disk full"], sink.Calls.Select(c => c.Message));
        Assert.Equal(2, queue.Counters.Deduplicated);
    }

    [Fact]
    public async Task A_route_dedup_window_wins_over_the_targets()
    {
        var sink = new ScriptedSink(_time, [null]);
        var queue = Queue(sink, DeliveryPolicy.None);
        foreach (var _ in Enumerable.Range(0, 3))
        {
            await queue.EnqueueAsync(new QueuedItem(Some.Item("same"), _time.GetUtcNow()) { RouteDedup = TimeSpan.FromMinutes(1) }, CancellationToken.None);
        }

        await WaitUntilAsync(() => queue.Counters.Sent == 1 && queue.Counters.Deduplicated == 2);
    }

    [Fact]
    public async Task When_the_queue_of_a_failing_target_is_full_the_oldest_item_is_dropped_instead_of_blocking_routing()
    {
        var sink = new ScriptedSink(_time, new TransientDeliveryException("HTTP 503"));
        var queue = Queue(sink, Retrying(retries: 100), capacity: 2);
        await queue.EnqueueAsync(Some.Item("m0"), CancellationToken.None);
        await sink.NextCallAsync(Wait);
        await WaitUntilAsync(() => queue.IsFailing); // m0 is being retried
        for (var i = 1; i <= 5; i++)
        {
            await queue.EnqueueAsync(Some.Item($"m{i}"), CancellationToken.None).AsTask().WaitAsync(Wait);
        }

        Assert.Equal(3, queue.Counters.Dropped);
        Assert.Equal(2, queue.Pending);
        Assert.Contains(Logged, l => l.Contains("Notification dropped: the queue of failing target svc:t is full", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Draining_cuts_the_backoff_short_with_one_last_attempt()
    {
        var sink = new ScriptedSink(_time, new TransientDeliveryException("HTTP 503"), null);
        var queue = Queue(sink, Retrying() with { Backoff = TimeSpan.FromMinutes(1) });
        await queue.EnqueueAsync(Some.Item("last words"), CancellationToken.None);
        await sink.NextCallAsync(Wait);
        await _time.WaitForTimerAsync(TimeSpan.FromMinutes(1), Wait);

        await queue.DrainAsync(new CancellationTokenSource(Wait).Token);
        Assert.Equal(2, sink.Calls.Count);
        Assert.Equal(1, queue.Counters.Sent);
    }

    private static Task WaitUntilAsync(Func<bool> condition) => Condition.UntilAsync(condition, Wait);
}
