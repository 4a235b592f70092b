namespace Hub.Delivery;

/// <summary>
/// Per-target counters, read by status output and tests. Item counters (<see cref="Queued"/>, <see cref="Sent"/>,
/// <see cref="Retried"/>, <see cref="Failed"/>, <see cref="FailedOver"/>, <see cref="Dropped"/>,
/// <see cref="Deduplicated"/>) count items; <see cref="Threw"/> and <see cref="TimedOut"/> count failed attempts.
/// </summary>
public sealed class TargetCounters
{
    private long _queued;
    private long _sent;
    private long _threw;
    private long _timedOut;
    private long _retried;
    private long _failed;
    private long _failedOver;
    private long _dropped;
    private long _deduplicated;
    private long _rateLimited;
    private long _deadLettered;
    private long _done;
    private long _headAcceptedTicks;
    private Func<long>? _journalBytes;
    private readonly DrainMeter _drain = new();

    public long Queued => Interlocked.Read(ref _queued);
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Items given up on (retries exhausted, too old, or a permanent failure) that no failover target took.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Items given up on here and handed to a failover target.</summary>
    public long FailedOver => Interlocked.Read(ref _failedOver);

    /// <summary>Retries scheduled (an item retried three times counts three).</summary>
    public long Retried => Interlocked.Read(ref _retried);

    /// <summary>Items dropped unsent: the queue was full while the target was failing (the oldest goes).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Items not sent because an identical one was sent within the <c>dedup</c> window.</summary>
    public long Deduplicated => Interlocked.Read(ref _deduplicated);

    /// <summary>Failed items kept in the dead-letter store.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Attempts that waited for the target's <c>rate</c> limit.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>Attempts in which the plugin threw.</summary>
    public long Threw => Interlocked.Read(ref _threw);

    /// <summary>Attempts in which the plugin did not finish within its timeout.</summary>
    public long TimedOut => Interlocked.Read(ref _timedOut);

    /// <summary>Items queued and not yet done (delivered, failed over, dead-lettered or dropped): the target's backlog, in memory and journal.</summary>
    public long BacklogItems => Math.Max(0, Queued - Interlocked.Read(ref _done));

    /// <summary>Bytes of undelivered items in the target's journal (0 for a target that is not durable).</summary>
    public long BacklogBytes => _journalBytes?.Invoke() ?? 0;

    /// <summary>How long the oldest item of the backlog has waited (zero when there is none).</summary>
    public TimeSpan OldestAge
    {
        get
        {
            var head = Interlocked.Read(ref _headAcceptedTicks);
            return BacklogItems == 0 || head == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Max(0, Time.GetUtcNow().UtcTicks - head));
        }
    }

    /// <summary>Items done per second over the last ten seconds: how fast the backlog drains.</summary>
    public double DrainRate => _drain.PerSecond(Time.GetTimestamp(), Time);

    internal TimeProvider Time { get; set; } = TimeProvider.System;

    internal void UseJournal(Func<long> pendingBytes) => _journalBytes = pendingBytes;

    /// <summary>The oldest item not yet done was accepted at <paramref name="accepted"/> (the head of the batch now being delivered).</summary>
    internal void OnHead(DateTimeOffset accepted) => Interlocked.Exchange(ref _headAcceptedTicks, accepted.UtcTicks);

    internal void OnDone()
    {
        Interlocked.Increment(ref _done);
        _drain.Add(Time.GetTimestamp(), Time);
    }

    internal void OnQueued() => Interlocked.Increment(ref _queued);
    internal void OnQueued(int items) => Interlocked.Add(ref _queued, items);
    internal void OnRetried(int items) => Interlocked.Add(ref _retried, items);
    internal void OnFailed() => Interlocked.Increment(ref _failed);
    internal void OnFailedOver() => Interlocked.Increment(ref _failedOver);
    internal void OnDropped() => Interlocked.Increment(ref _dropped);
    internal void OnDeduplicated() => Interlocked.Increment(ref _deduplicated);
    internal void OnDeadLettered() => Interlocked.Increment(ref _deadLettered);
    internal void OnRateLimited() => Interlocked.Increment(ref _rateLimited);

    /// <summary>Counts the outcome of one attempt that carried <paramref name="items"/> items (a batch carries several).</summary>
    internal void On(DeliveryResult result, int items = 1)
    {
        switch (result)
        {
            case DeliveryResult.Sent:
                Interlocked.Add(ref _sent, items);
                break;
            case DeliveryResult.Threw:
                Interlocked.Add(ref _threw, items);
                break;
            case DeliveryResult.TimedOut:
                Interlocked.Add(ref _timedOut, items);
                break;
        }
    }

    /// <summary>The counters as <c>name=value</c> pairs, for logs and status output.</summary>
    public override string ToString() =>
        $"queued={Queued} sent={Sent} retried={Retried} failed={Failed} failed_over={FailedOver} dropped={Dropped} dead_lettered={DeadLettered} deduplicated={Deduplicated} backlog={BacklogItems}";
}
