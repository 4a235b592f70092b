using System.Threading.Channels;
using Hub.Config.Values;
using Hub.Plugins;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Delivery;

/// <summary>
/// One bounded queue and one worker per target: a slow or failing target never delays the others,
/// and items reach the target in arrival order. The worker applies the target's <see cref="DeliveryPolicy"/>:
/// rate limit, retries with backoff (the item keeps its place: later items wait, so order holds), then
/// failover or give-up. When the queue is full, <see cref="EnqueueAsync(DeliveryItem, CancellationToken)"/>
/// waits, which pauses reading from the broker (backpressure), unless the target is failing: then the
/// oldest item is dropped (counted) so one dead target cannot stall every route. A plugin that blocks the
/// worker's thread past its timeout is left behind: a new worker takes over the queue.
/// </summary>
public sealed class TargetQueue
{
    private readonly Channel<QueuedItem> _channel;
    private readonly RunningSink _sink;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _draining = new();
    private readonly Lock _workerLock = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Deduplicator? _dedup;
    private readonly System.Collections.Concurrent.ConcurrentQueue<AcceptanceTicket> _owed = new();
    private readonly RateLimiter? _rate;
    private readonly DeliveryGate _gate = new();
    private CancellationToken _stopping;
    private int _worker;
    private volatile bool _failing;
    private volatile bool _retrying; // from the first wait for a retry to the next success
    private bool _reported;

    public TargetQueue(string service, string? target, RunningSink sink, int capacity, DeliveryPolicy? policy = null, TimeProvider? time = null, ILogger? logger = null)
    {
        Service = service;
        Target = target;
        _sink = sink;
        Policy = policy ?? DeliveryPolicy.None;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _rate = Policy.Rate is { } rate ? new RateLimiter(rate, _time) : null;
        _dedup = new Deduplicator(_time);
        _channel = Channel.CreateBounded<QueuedItem>(new BoundedChannelOptions(capacity)
        {
            // One worker, plus the producer side that drops the oldest item when the target is failing.
            SingleReader = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string Service { get; }
    public string? Target { get; }
    public DeliveryPolicy Policy { get; }
    public TargetCounters Counters { get; } = new();
    public int Pending => _channel.Reader.Count;

    /// <summary>True from a failed attempt until the next success.</summary>
    public bool IsFailing => _failing;

    public string DisplayName => Target is null ? Service : $"{Service}:{Target}";

    /// <summary>Hands an item this target gave up on to its failover targets; true when one took it. Set by the host.</summary>
    public Func<QueuedItem, string, ValueTask<bool>>? Failover { get; set; }

    /// <summary>The target's on-disk journal when its policy is durable (set by the host before <see cref="Start"/>).</summary>
    public TargetJournal? Journal { get; set; }

    /// <summary>Where items go that this target gave up on and no failover took (null: they are only logged). Set by the host.</summary>
    public DeadLetterStore? DeadLetters { get; set; }

    /// <summary>Called once when the target starts giving up on items (until it delivers again), with the reason. Set by the host.</summary>
    public Action<string>? Failing { get; set; }

    /// <summary>
    /// Deliver on the caller's thread when the queue is idle (empty, nobody delivering, the target not failing): the
    /// receiving thread then writes a message to a local file without waking another thread, which on a small or
    /// virtual machine is most of the tail latency. Order is kept by the gate that the worker takes too. Set by the
    /// host: the plugin implements <see cref="IInlineSink"/> (which says yes or no per item) and <c>inline</c> is not false.
    /// </summary>
    public bool Inline { get; set; }

    /// <summary>The random part of each backoff delay, in [0, 1] (tests make it fixed).</summary>
    public Func<double> Jitter { get; init; } = Random.Shared.NextDouble;

    public void Start(CancellationToken stopping)
    {
        lock (_workerLock)
        {
            if (_worker == 0)
            {
                _stopping = stopping;
                StartWorker(1);
            }
        }
    }

    public ValueTask EnqueueAsync(DeliveryItem item, CancellationToken cancellationToken) =>
        EnqueueAsync(new QueuedItem(item, _time.GetUtcNow()) { Visited = [DisplayName] }, cancellationToken);

    public ValueTask EnqueueAsync(QueuedItem queued, CancellationToken cancellationToken)
    {
        if (Journal is { } full && queued.JournalSequence == 0 && Policy.MaxJournalBytes > 0 && full.PendingBytes >= Policy.MaxJournalBytes)
        {
            return EnqueueWhenJournalHasRoomAsync(full, queued, cancellationToken);
        }

        return EnqueueNowAsync(queued, cancellationToken);
    }

    /// <summary>
    /// The journal holds <c>max_journal_bytes</c> of undelivered items: as for a full queue, wait while the target
    /// delivers (the broker holds the rest), drop the oldest to the dead letters while it is failing.
    /// </summary>
    private async ValueTask EnqueueWhenJournalHasRoomAsync(TargetJournal journal, QueuedItem queued, CancellationToken cancellationToken)
    {
        while (journal.PendingBytes >= Policy.MaxJournalBytes)
        {
            if (_failing && !_draining.IsCancellationRequested)
            {
                if (DropOldest("journal"))
                {
                    continue;
                }

                break; // only the item being retried holds the journal: let this one wait behind it
            }

            using var poll = new CancellationTokenSource(TimeSpan.FromSeconds(1), _time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, poll.Token);
            try
            {
                await journal.WaitForRoomAsync(Policy.MaxJournalBytes, wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // look again: the target may have started failing meanwhile
            }
        }

        await EnqueueNowAsync(queued, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask EnqueueNowAsync(QueuedItem queued, CancellationToken cancellationToken)
    {
        if ((queued.RouteDedup ?? Policy.Dedup) is { } window && _dedup!.IsDuplicate(queued.Item, window))
        {
            Counters.OnDeduplicated();
            queued.Ticket?.Accept();
            _logger.LogInformation("Notification not sent again within {Window}: identical to one sent before. service={Service}, target={Target}, topic={Topic}",
                Durations.Format(window), Service, Target ?? "", queued.Item.Topic);
            return ValueTask.CompletedTask;
        }

        Counters.OnQueued();
        if (Journal is not { } journal || queued.JournalSequence != 0)
        {
            if (queued.Ticket is { } owed)
            {
                Owe(owed);
            }

            return Write(queued, cancellationToken);
        }

        // Journaled first (the order of appends is the queue's order); the message is accepted once the record is
        // on disk. Should the write fail, the ticket stays open and the worker accepts it on delivery instead.
        var (sequence, durable) = journal.Append(queued.Item);
        if (queued.Ticket is { } ticket)
        {
            if (durable.IsCompletedSuccessfully)
            {
                ticket.Accept();
            }
            else
            {
                _ = durable.ContinueWith(static (t, state) => ((AcceptanceTicket)state!).Accept(), ticket, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        return Write(queued with { JournalSequence = sequence }, cancellationToken);
    }

    /// <summary>
    /// True when the previous item came more than <see cref="QuietGap"/> ago: a lone message. In a burst the worker
    /// delivers, in batches (one write for many items), while the receiving thread goes on routing.
    /// </summary>
    private bool Quiet()
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Exchange(ref _lastWrite, now);
        return last == 0 || _time.GetElapsedTime(last, now) > QuietGap;
    }

    private static readonly TimeSpan QuietGap = TimeSpan.FromMilliseconds(0.25);
    private long _lastWrite;

    private bool CanSendInline(DeliveryItem item)
    {
        try
        {
            return _sink.Sink is IInlineSink inline && inline.CanSendInline(item);
        }
#pragma warning disable CA1031 // The plugin's answer is only a hint: if it cannot give one, the worker delivers (and reports any problem).
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    /// <summary>Delivers <paramref name="queued"/> here and now if nothing is queued or being delivered; false otherwise.</summary>
    private bool TryDeliverInline(QueuedItem queued)
    {
        var id = Volatile.Read(ref _worker);
        if (id == 0 || _failing || _retrying || _channel.Reader.Count != 0 || _draining.IsCancellationRequested || _sink.Isolated)
        {
            return false;
        }

        if (!_gate.TryEnter(out var ticket))
        {
            return false;
        }

        if (_channel.Reader.Count != 0)
        {
            _gate.Exit(ticket); // the worker queued ahead of us meanwhile: keep the order
            return false;
        }

        Task delivering;
        try
        {
            delivering = DeliverAsync(id, [queued], new List<DeliveryItem>(1), ticket);
        }
        catch
        {
            _gate.Exit(ticket);
            throw;
        }

        if (delivering.IsCompleted)
        {
            _gate.Exit(ticket);
            Observe(delivering);
        }
        else
        {
            // Waiting for a retry, a rate limit or an asynchronous plugin: the gate stays closed until it ends, and
            // items queued meanwhile wait for it (the worker takes the gate before it delivers).
            _ = delivering.ContinueWith(
                (t, state) =>
                {
                    _gate.Exit((long)state!);
                    Observe(t);
                },
                ticket,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return true;
    }

    private void Observe(Task delivery)
    {
        if (delivery.Exception is { } failure && !(failure.InnerException is OperationCanceledException && _stopping.IsCancellationRequested))
        {
            _logger.LogError(failure.InnerException, "Delivering to {Target} failed", DisplayName);
        }
    }

    /// <summary>Items a restarted hub found in the journal: queued again, without a second journal record.</summary>
    public async Task EnqueueRecoveredAsync(IEnumerable<QueuedItem> items, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            Counters.OnQueued();
            await Write(item, cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask Write(QueuedItem queued, CancellationToken cancellationToken)
    {
        if (Inline && Quiet() && CanSendInline(queued.Item) && TryDeliverInline(queued))
        {
            return ValueTask.CompletedTask;
        }

        var writer = _channel.Writer;
        if (writer.TryWrite(queued))
        {
            return ValueTask.CompletedTask;
        }

        while (_failing && !_draining.IsCancellationRequested)
        {
            if (writer.TryWrite(queued))
            {
                return ValueTask.CompletedTask;
            }

            DropOldest("queue");
        }

        return writer.WriteAsync(queued, cancellationToken);
    }

    /// <summary>
    /// A plain (not durable) target owes its acceptance until it delivered the item; one that is retrying does not hold
    /// the broker's acknowledgements (and with them every other route) for its backoff: it accepts at once.
    /// </summary>
    private void Owe(AcceptanceTicket ticket)
    {
        if (_retrying)
        {
            ticket.Accept();
            return;
        }

        _owed.Enqueue(ticket);
        if (_retrying)
        {
            ReleaseOwed(); // it started failing meanwhile
        }
    }

    /// <summary>The target waits to retry: what it owes is accepted now, so acknowledgements to the broker go on for every other route.
    /// Its queued items are then kept in memory only (<c>durable</c> keeps them on disk).</summary>
    private void ReleaseOwed()
    {
        var released = 0;
        while (_owed.TryDequeue(out var ticket))
        {
            if (!ticket.IsAccepted)
            {
                ticket.Accept();
                released++;
            }
        }

        if (released > 0)
        {
            _logger.LogWarning("Target {Target} is failing: {Count} messages waiting for it are acknowledged to the broker now, so other routes go on; "
                + "they are kept in memory until delivered (durable = true keeps them on disk)", DisplayName, released);
        }
    }

    /// <summary>After a drain that ran out of time: the items still queued, taken out (the worker has stopped taking them).</summary>
    public IReadOnlyList<QueuedItem> TakeLeftovers()
    {
        var left = new List<QueuedItem>();
        while (_channel.Reader.TryRead(out var queued))
        {
            left.Add(queued);
        }

        return left;
    }

    /// <summary>An item this queue took over from another (a reload's leftovers): dead-lettered when there is no queue for it.</summary>
    public void AbandonToDeadLetters(QueuedItem queued, string reason)
    {
        Counters.OnFailed();
        var letter = DeadLetter(queued.Item, reason);
        Done(queued);
        _logger.LogError("Notification not delivered: {Reason}. service={Service}, target={Target}, topic={Topic}{Letter}",
            reason, Service, Target ?? "", queued.Item.Topic, letter is null ? "" : $"; kept as dead letter {letter} (hub dlq list)");
    }

    /// <summary>Takes the oldest queued item out to the dead letters (counted as dropped) because the <paramref name="full"/>
    /// ("queue" or "journal") is full; false when the queue is empty.</summary>
    private bool DropOldest(string full)
    {
        if (!_channel.Reader.TryRead(out var oldest))
        {
            return false;
        }

        Counters.OnDropped();
        var letter = DeadLetter(oldest.Item, $"dropped: the {full} was full while the target was failing");
        Done(oldest);
        _logger.LogError("Notification dropped: the {Full} of failing target {Target} is full ({Count} items queued); the oldest item goes{Letter}. topic={Topic}",
            full, DisplayName, _channel.Reader.Count, letter is null ? "" : $" to the dead letters ({letter})", oldest.Item.Topic);
        return true;
    }

    /// <summary>The target is done with the item (delivered, failed over, dead-lettered or dropped): its message is accepted
    /// here, and its journal record is done, so a restart will not deliver it again.</summary>
    private void Done(QueuedItem queued)
    {
        if (queued.Ticket is { } ticket)
        {
            ticket.Accept();
            while (_owed.TryPeek(out var head) && head.IsAccepted)
            {
                _owed.TryDequeue(out _);
            }
        }

        if (queued.JournalSequence != 0)
        {
            Journal?.Complete(queued.JournalSequence);
        }
    }

    /// <summary>Stops accepting items and waits until the queued ones are delivered (retries cut short), or the token fires.</summary>
    public async Task DrainAsync(CancellationToken deadline)
    {
        _channel.Writer.TryComplete();
        await _draining.CancelAsync().ConfigureAwait(false);
        bool started;
        lock (_workerLock)
        {
            started = _worker != 0;
        }

        if (started)
        {
            await _drained.Task.WaitAsync(deadline).ConfigureAwait(false);
        }
    }

    private void StartWorker(int id)
    {
        _worker = id;
        _ = Task.Run(() => RunAsync(id), CancellationToken.None);
    }

    private bool IsCurrent(int id) => Volatile.Read(ref _worker) == id;

    private void ReplaceWorker(int id)
    {
        lock (_workerLock)
        {
            if (_worker == id)
            {
                StartWorker(id + 1);
            }
        }
    }

    private async Task RunAsync(int id)
    {
        var reader = _channel.Reader;
        var batchSize = _sink.Batch is { } batchSink ? Math.Max(1, batchSink.MaxBatchSize) : 0;
        var batch = new List<QueuedItem>(Math.Max(1, batchSize));
        var items = new List<DeliveryItem>(Math.Max(1, batchSize));
        try
        {
            while (IsCurrent(id) && await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                // An inline delivery in progress goes first (it was enqueued before what waits here).
                var ticket = await _gate.EnterAsync().ConfigureAwait(false);
                try
                {
                    while (IsCurrent(id) && reader.TryRead(out var first))
                    {
                        // Whatever is queued right now goes as one batch: no waiting, so a lone item is not delayed.
                        batch.Clear();
                        batch.Add(first);
                        while (batch.Count < batchSize && reader.TryRead(out var next))
                        {
                            batch.Add(next);
                        }

                        await DeliverAsync(id, batch, items, ticket).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _gate.Exit(ticket);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // the hub stopped: what is left in the queue is not delivered
        }

        if (IsCurrent(id) && Inline)
        {
            // Drained only once an inline delivery still under way (a retry, say) has ended too.
            _gate.Exit(await _gate.EnterAsync().ConfigureAwait(false));
        }

        if (IsCurrent(id))
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Delivers one item or batch under the policy: rate limit, attempts, backoff, then failover or give-up.</summary>
    private async Task DeliverAsync(int id, List<QueuedItem> batch, List<DeliveryItem> items, long gateTicket)
    {
        var count = batch.Count;
        Action onBlocked = () =>
        {
            Counters.On(DeliveryResult.TimedOut, count);
            _gate.Exit(gateTicket); // the new worker must not wait for the call left behind
            ReplaceWorker(id);
        };
        for (var attempt = 1; ; attempt++)
        {
            if (_rate?.Take() is { } wait && wait > TimeSpan.Zero)
            {
                Counters.OnRateLimited();
                await Task.Delay(wait, _time, _stopping).ConfigureAwait(false);
            }

            DeliveryAttempt result;
            if (_sink.Batch is null)
            {
                result = await _sink.AttemptAsync(batch[0].Item, _stopping, onBlocked).ConfigureAwait(false);
            }
            else
            {
                items.Clear();
                items.AddRange(batch.Select(q => q.Item));
                result = await _sink.AttemptBatchAsync(items, _stopping, onBlocked).ConfigureAwait(false);
            }

            if (result.Result == DeliveryResult.Abandoned)
            {
                // The timeout was counted and the queue has a new worker; this item is not tried again.
                await GiveUpAsync(batch, "the plugin blocked past its timeout").ConfigureAwait(false);
                return;
            }

            Counters.On(result.Result, count);
            if (result.Result == DeliveryResult.Sent)
            {
                batch.ForEach(Done);
                _reported = false;
                _retrying = false;
                if (_failing)
                {
                    _failing = false;
                    _logger.LogInformation("Target {Target} delivers again", DisplayName);
                }

                return;
            }

            _failing = true;
            var transient = DeliveryPolicy.IsTransient(result.Failure);
            var now = _time.GetUtcNow();
            var delay = Policy.Delay(attempt, DeliveryPolicy.RetryAfterOf(result.Failure), Jitter());
            string? stop = !transient ? "a permanent failure"
                : attempt > Policy.Retries ? $"{Policy.Retries} retries exhausted"
                : now + delay > batch[0].Accepted + Policy.MaxAge ? $"older than retry_max_age ({Durations.Format(Policy.MaxAge)}) by the next retry"
                : _draining.IsCancellationRequested ? "the hub is stopping" : null;
            if (stop is not null)
            {
                await GiveUpAsync(batch, $"{stop}: {result.Reason}").ConfigureAwait(false);
                return;
            }

            Counters.OnRetried(count);
            _retrying = true;
            ReleaseOwed();
            _logger.LogInformation("Retrying {Target} in {Delay} (retry {Retry} of {Retries}). topic={Topic}",
                DisplayName, Durations.Format(delay), attempt, Policy.Retries, batch[0].Item.Topic);
            using var wait2 = CancellationTokenSource.CreateLinkedTokenSource(_stopping, _draining.Token);
            try
            {
                await Task.Delay(delay, _time, wait2.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
            {
                // draining: one last attempt now instead of waiting
            }
        }
    }

    private string? DeadLetter(DeliveryItem item, string reason)
    {
        if (DeadLetters is not { } store)
        {
            return null;
        }

        try
        {
            var id = store.Add(item, reason);
            Counters.OnDeadLettered();
            return id;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogError("Keeping a dead letter in {Directory} failed: {Reason}", store.Directory, ex.Message);
            return null;
        }
    }

    private async Task GiveUpAsync(List<QueuedItem> batch, string reason)
    {
        foreach (var queued in batch)
        {
            if (Failover is { } failover && await failover(queued with { JournalSequence = 0 }, reason).ConfigureAwait(false))
            {
                Counters.OnFailedOver();
                Done(queued); // the failover target journaled its own copy first
                continue;
            }

            Counters.OnFailed();
            var letter = DeadLetter(queued.Item, reason);
            Done(queued);
            _logger.LogError("Notification not delivered: {Reason}. service={Service}, target={Target}, topic={Topic}{Letter}",
                reason, Service, Target ?? "", queued.Item.Topic, letter is null ? "" : $"; kept as dead letter {letter} (hub dlq list)");
        }

        if (!_reported && Failing is { } failing)
        {
            _reported = true;
            failing(reason);
        }
    }
}
