using Hub.Delivery.Chain;
using Hub.Plugins;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Delivery;

/// <summary>
/// One bounded queue (<see cref="TargetWindow"/>) and one worker per target: a slow or failing target never delays
/// the others, and items reach the target in arrival order. On the way in: de-duplication (<see cref="DedupFilter"/>), the journal of a durable
/// target (<see cref="TargetJournal"/>: it accepts the item's message once the record is on disk), the acceptance it owes (<see cref="OwedAcceptances"/>). The worker takes
/// batches (<see cref="BatchReader"/>) down the target's delivery chain (<see cref="DeliveryChainBuilder"/>: give-up,
/// retry, circuit breaker, rate limit, the plugin's timeout). When the queue is full,
/// <see cref="EnqueueAsync(DeliveryItem, CancellationToken)"/> waits, which pauses reading from the broker
/// (backpressure), unless the target is failing: then the oldest item is dropped (counted) so one dead target cannot
/// stall every route. A plugin that blocks the worker's thread past its timeout is left behind: a new worker takes
/// over the queue. An idle target may be delivered to on the caller's thread (<see cref="Inline"/>).
/// </summary>
public sealed class TargetQueue
{
    private readonly TargetWindow _window;
    private readonly RunningSink _sink;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _draining = new();
    private readonly Lock _workerLock = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DeliveryGate _gate = new();
    private readonly TargetHealth _health;
    private readonly DedupFilter _dedup;
    private readonly OwedAcceptances _owed;
    private readonly GiveUpStep _giveUp;
    private readonly BatchReader _batches;
    private TargetJournal? _journal;
    private CancellationToken _stopping;
    private int _worker;

    public TargetQueue(string service, string? target, RunningSink sink, int capacity, DeliveryPolicy? policy = null, TimeProvider? time = null, ILogger? logger = null)
    {
        Service = service;
        Target = target;
        DisplayName = target is null ? service : $"{service}:{target}";
        OnlyThis = [DisplayName];
        _sink = sink;
        Policy = policy ?? DeliveryPolicy.None;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        Counters.Time = _time;
        _health = new TargetHealth(DisplayName, _logger);
        _owed = new OwedAcceptances(DisplayName, _health, _logger);
        _health.Retrying += _owed.Release;
        _dedup = new DedupFilter(Policy.Dedup, service, target, _time, Counters, _logger);
        _giveUp = DeliveryChainBuilder.Build(this, sink, () => Jitter());
        _window = new TargetWindow(capacity);
        var batchSize = sink.Batch is { } batchSink ? Policy.BatchSize ?? batchSink.MaxBatchSize : 1;
        _batches = new BatchReader(_window.Reader, batchSize, sink.Batch is null ? TimeSpan.Zero : Policy.BatchWait, _time);
    }

    public string Service { get; }
    public string? Target { get; }
    public DeliveryPolicy Policy { get; }
    public TargetCounters Counters { get; } = new();
    /// <summary>Items waiting: in the window and, for a durable target, in the backlog behind it.</summary>
    public int Pending => _window.Count;

    /// <summary>True from a failed attempt until the next success.</summary>
    public bool IsFailing => _health.IsFailing;

    public string DisplayName { get; }

    /// <summary>The <see cref="QueuedItem.Visited"/> of an item that came here first (one list for all of them: it is never changed).</summary>
    internal IReadOnlyList<string> OnlyThis { get; }

    internal TimeProvider Time => _time;
    internal ILogger Logger => _logger;
    internal TargetHealth Health => _health;

    /// <summary>Hands an item this target gave up on to its failover targets; true when one took it. Set by the host.</summary>
    public Func<QueuedItem, string, ValueTask<bool>>? Failover { get => _giveUp.Failover; set => _giveUp.Failover = value; }

    /// <summary>
    /// The target's on-disk journal when its policy is durable (set by the host before <see cref="Start"/>). The journal
    /// is then the backlog: the queue (<c>max_queue</c>) is only the window that the worker takes from; what does not fit
    /// waits in the backlog behind it, in order, and moves into the window as it empties, until the journal holds
    /// <c>max_journal_bytes</c> (then <c>when_full</c> decides).
    /// </summary>
    public TargetJournal? Journal
    {
        get => _journal;
        set
        {
            _journal = value;
            if (value is not null)
            {
                Counters.UseJournal(() => value.PendingBytes);
                Counters.OnQueued(_window.UseJournal(value, item => Rebind(item)));
            }
        }
    }

    /// <summary>Binds an item read back from the journal to this target (its descriptor and options as configured now). Set by the host.</summary>
    public Func<DeliveryItem, DeliveryItem> Rebind { get; set; } = item => item;

    /// <summary>Where items go that this target gave up on and no failover took (null: they are only logged). Set by the host.</summary>
    public DeadLetterStore? DeadLetters { get => _giveUp.DeadLetters; set => _giveUp.DeadLetters = value; }

    /// <summary>Called once when the target starts giving up on items (until it delivers again), with the reason. Set by the host.</summary>
    public Action<string>? Failing { get => _giveUp.Failing; set => _giveUp.Failing = value; }

    /// <summary>
    /// Deliver on the caller's thread when the queue is idle (empty, nobody delivering, the target not failing): the
    /// receiving thread then writes a message to a local file without waking another thread, which on a small or
    /// virtual machine is most of the tail latency. Order is kept by the gate that the worker takes too. Set by the
    /// host: the plugin implements <see cref="IInlineSink"/> (which says yes or no per item) and <c>inline</c> is not
    /// false. Not with <c>batch_wait</c>: there a lone item waits for company.
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
                _window.Refill(); // a backlog from the journal: the worker waits for the window
            }
        }
    }

    public ValueTask EnqueueAsync(DeliveryItem item, CancellationToken cancellationToken) =>
        EnqueueAsync(new QueuedItem(item, _time.GetUtcNow()) { Visited = OnlyThis }, cancellationToken);

    public ValueTask EnqueueAsync(QueuedItem queued, CancellationToken cancellationToken)
    {
        if (Journal is { } full && queued.JournalSequence == 0 && Policy.MaxJournalBytes > 0 && full.PendingBytes >= Policy.MaxJournalBytes)
        {
            return EnqueueWhenJournalHasRoomAsync(full, queued, cancellationToken);
        }

        return EnqueueNowAsync(queued, cancellationToken);
    }

    /// <summary>
    /// The journal holds <c>max_journal_bytes</c> of undelivered items: wait while the target delivers (the broker holds
    /// the rest); while it is failing, <c>when_full = dead_letter</c> drops the oldest to the dead letters and
    /// <c>block</c> keeps waiting.
    /// </summary>
    private async ValueTask EnqueueWhenJournalHasRoomAsync(TargetJournal journal, QueuedItem queued, CancellationToken cancellationToken)
    {
        while (journal.PendingBytes >= Policy.MaxJournalBytes)
        {
            if (_health.IsFailing && Policy.WhenFull == JournalFull.DeadLetter && !_draining.IsCancellationRequested)
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
        if (!_dedup.Admit(queued))
        {
            return ValueTask.CompletedTask;
        }

        Counters.OnQueued();
        if (Journal is { } journal && queued.JournalSequence == 0)
        {
            AppendToJournal(journal, queued);
            return ValueTask.CompletedTask;
        }

        if (queued.Ticket is { } owed)
        {
            _owed.Owe(owed);
        }

        return Write(queued, cancellationToken);
    }

    /// <summary>
    /// A durable target's item goes to the journal (encoded on the caller's thread), then to the window, or to the
    /// backlog behind it, or is delivered here and now when the target is idle; it never waits for room. Its message is
    /// accepted by the journal's writer once the record is on disk (should the write fail, by <see cref="Done"/>).
    /// </summary>
    private void AppendToJournal(TargetJournal journal, QueuedItem queued)
    {
        var inline = Inline && Policy.BatchWait == TimeSpan.Zero && Quiet() && CanSendInline(queued.Item);
        var claimed = 0L;
        var (journaled, _, delivering) = _window.Append(journal, queued, inline ? () => TryClaimInline(out claimed) : null);
        if (delivering)
        {
            DeliverInline(journaled, claimed);
        }
        else if (_window.Reader.Count == 0)
        {
            _window.Refill(); // went to the backlog while the window was empty: the worker waits for the window
        }
    }

    /// <summary>Items carried over from the generation before a reload (not journaled ones: those wait in the journal).</summary>
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
        if (Inline && Policy.BatchWait == TimeSpan.Zero && Quiet() && CanSendInline(queued.Item) && TryDeliverInline(queued))
        {
            return ValueTask.CompletedTask;
        }

        if (_window.TryWrite(queued))
        {
            return ValueTask.CompletedTask;
        }

        while (_health.IsFailing && !_draining.IsCancellationRequested)
        {
            if (_window.TryWrite(queued))
            {
                return ValueTask.CompletedTask;
            }

            DropOldest("queue");
        }

        return _window.WriteAsync(queued, cancellationToken);
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
        if (!TryClaimInline(out var ticket))
        {
            return false;
        }

        DeliverInline(queued, ticket);
        return true;
    }

    /// <summary>Takes the delivery gate for an inline delivery if nothing is queued or being delivered; false otherwise.</summary>
    private bool TryClaimInline(out long ticket)
    {
        ticket = 0;
        var id = Volatile.Read(ref _worker);
        if (id == 0 || _health.IsFailing || _health.IsRetrying || !_window.IsEmpty || _draining.IsCancellationRequested || _sink.Isolated)
        {
            return false;
        }

        if (!_gate.TryEnter(out ticket))
        {
            return false;
        }

        if (!_window.IsEmpty)
        {
            _gate.Exit(ticket); // the worker queued ahead of us meanwhile: keep the order
            return false;
        }

        return true;
    }

    /// <summary>Delivers on the caller's thread, holding the gate <paramref name="ticket"/> (released when the delivery ends).</summary>
    private void DeliverInline(QueuedItem queued, long ticket)
    {
        var id = Volatile.Read(ref _worker);
        Task delivering;
        try
        {
            delivering = DeliverAsync(id, [queued], ticket);
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
    }

    private void Observe(Task delivery)
    {
        if (delivery.Exception is { } failure && !(failure.InnerException is OperationCanceledException && _stopping.IsCancellationRequested))
        {
            _logger.LogError(failure.InnerException, "Delivering to {Target} failed", DisplayName);
        }
    }

    /// <summary>After a drain that ran out of time: the items still queued (window, then backlog), taken out (the worker has stopped taking them).</summary>
    public IReadOnlyList<QueuedItem> TakeLeftovers() => _window.TakeAll();

    /// <summary>An item this queue took over from another (a reload's leftovers): dead-lettered when there is no queue for it.</summary>
    public void AbandonToDeadLetters(QueuedItem queued, string reason) => _giveUp.Abandon(queued, reason);

    /// <summary>Takes the oldest queued item out to the dead letters (counted as dropped) because the <paramref name="full"/>
    /// ("queue" or "journal") is full; false when the queue is empty.</summary>
    private bool DropOldest(string full)
    {
        _window.Refill();
        if (!_window.TryTakeOldest(out var oldest))
        {
            return false;
        }

        Counters.OnDropped();
        var letter = _giveUp.DeadLetter(oldest, $"dropped: the {full} was full while the target was failing");
        Done(oldest);
        _logger.LogError("Notification dropped: the {Full} of failing target {Target} is full ({Count} items queued); the oldest item goes{Letter}. topic={Topic}",
            full, DisplayName, _window.Count, letter is null ? "" : $" to the dead letters ({letter})", oldest.Item.Topic);
        return true;
    }

    /// <summary>The target is done with the item (delivered, failed over, dead-lettered or dropped): its message is accepted
    /// here, and its journal record is done, so a restart will not deliver it again.</summary>
    internal void Done(QueuedItem queued)
    {
        Counters.OnDone();
        if (queued.Ticket is { } ticket)
        {
            _owed.Settle(ticket);
        }

        Journal?.Complete(queued);
    }

    /// <summary>Stops accepting items and waits until the queued ones are delivered (retries cut short), or the token fires.</summary>
    public async Task DrainAsync(CancellationToken deadline)
    {
        _window.Complete();
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
        var reader = _window.Reader;
        var batch = new List<QueuedItem>(_batches.Size);
        try
        {
            while (IsCurrent(id) && await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                // An inline delivery in progress goes first (it was enqueued before what waits here).
                var ticket = await _gate.EnterAsync().ConfigureAwait(false);
                try
                {
                    while (IsCurrent(id) && Refilled() && reader.TryRead(out var first))
                    {
                        await _batches.FillAsync(batch, first).ConfigureAwait(false);
                        await DeliverAsync(id, batch, ticket).ConfigureAwait(false);
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

    private bool Refilled()
    {
        _window.Refill();
        return true;
    }

    /// <summary>Delivers one item or batch down the chain; what it gave up on, the chain handed on already.</summary>
    private async Task DeliverAsync(int id, IReadOnlyList<QueuedItem> batch, long gateTicket)
    {
        var count = batch.Count;
        Counters.OnHead(batch[0].Accepted);
        var call = new DeliveryCall(batch, _stopping, _draining.Token, () =>
        {
            Counters.On(DeliveryResult.TimedOut, count);
            _gate.Exit(gateTicket); // the new worker must not wait for the call left behind
            ReplaceWorker(id);
        });
        var result = await _giveUp.SendAsync(call).ConfigureAwait(false);
        if (result.Result == DeliveryResult.Sent)
        {
            foreach (var queued in batch)
            {
                Done(queued);
            }

            _health.OnSent();
        }
    }
}
