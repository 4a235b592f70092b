using System.Threading.Channels;
using Hub.Plugins;

namespace Hub.Delivery.Chain;

/// <summary>
/// The items of one target waiting for its worker: a bounded window (<c>max_queue</c>) that the worker reads, and for a
/// durable target the backlog behind it, which is the journal itself: once an item does not fit, the window's items
/// come from the journal in order (<see cref="Refill"/>, from the sequence number <c>next</c> on) until the backlog has
/// caught up with the last append. Only the window is in memory (and, in the journal, items not yet on disk).
/// </summary>
internal sealed class TargetWindow(int capacity)
{
    private readonly Channel<QueuedItem> _window = Channel.CreateBounded<QueuedItem>(new BoundedChannelOptions(capacity)
    {
        // One worker, plus the producer side that drops the oldest item when the target is failing.
        SingleReader = false,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Lock _spill = new();
    private readonly Lock _refill = new();
    private readonly List<QueuedItem> _read = [];
    private TargetJournal? _journal;
    private Func<DeliveryItem, DeliveryItem> _bind = item => item;

    // Under _spill: the next sequence number to take from the journal (0: no backlog), and how many items wait there.
    private long _next;
    private long _backlog;

    public ChannelReader<QueuedItem> Reader => _window.Reader;

    /// <summary>Items waiting, in the window and in the backlog.</summary>
    public int Count => _window.Reader.Count + (int)Math.Min(int.MaxValue, Interlocked.Read(ref _backlog));

    /// <summary>Items waiting in the backlog behind the window.</summary>
    public long Backlog => Interlocked.Read(ref _backlog);

    public bool IsEmpty => _window.Reader.Count == 0 && Interlocked.Read(ref _backlog) == 0;

    /// <summary>
    /// The journal is the backlog; items read back from it are bound to the target by <paramref name="bind"/>. What it
    /// holds pending (a previous run's items, or those of the generation before a reload) is the backlog at first.
    /// Returns how many items that is.
    /// </summary>
    public int UseJournal(TargetJournal journal, Func<DeliveryItem, DeliveryItem> bind)
    {
        lock (_spill)
        {
            _journal = journal;
            _bind = bind;
            var pending = journal.PendingCount;
            if (pending > 0)
            {
                _next = journal.FirstPending;
                Interlocked.Exchange(ref _backlog, pending);
            }

            return pending;
        }
    }

    public bool TryWrite(QueuedItem queued) => _window.Writer.TryWrite(queued);

    /// <summary>Waits for room in the window (backpressure).</summary>
    public ValueTask WriteAsync(QueuedItem queued, CancellationToken cancellationToken) => _window.Writer.WriteAsync(queued, cancellationToken);

    /// <summary>
    /// Journals an item and places it, in one step (so the window and the backlog never hold the same item): straight
    /// into the window while there is no backlog and it has room, else into the backlog. Before that, with no backlog and
    /// an empty window, <paramref name="inline"/> may claim it for delivery on the caller's thread (true: it did). The
    /// record is encoded first, outside the lock, into this thread's buffer; the journal accepts the item's ticket once
    /// the record is on disk.
    /// </summary>
    public (QueuedItem Journaled, Task Durable, bool Inline) Append(TargetJournal journal, QueuedItem queued, Func<bool>? inline)
    {
        var buffer = JournalItemCodec.Encode(queued, out var length);
        lock (_spill)
        {
            var (journaled, durable) = journal.Append(queued, buffer.AsSpan(0, length));
            var sequence = journaled.JournalSequence;
            if (_next == 0)
            {
                if (inline is not null && _window.Reader.Count == 0 && inline())
                {
                    return (journaled, durable, true);
                }

                if (_window.Writer.TryWrite(journaled))
                {
                    return (journaled, durable, false);
                }

                _next = sequence; // appends are in this lock: everything before it is placed already
            }

            Interlocked.Increment(ref _backlog);
            return (journaled, durable, false);
        }
    }

    /// <summary>Moves backlog items into the window while it has room, oldest first, reading them from the journal.</summary>
    public void Refill()
    {
        if (Interlocked.Read(ref _backlog) == 0 && Volatile.Read(ref _next) == 0)
        {
            return;
        }

        lock (_refill)
        {
            var idle = 0;
            while (true)
            {
                var room = capacity - _window.Reader.Count;
                long from;
                TargetJournal? journal;
                lock (_spill)
                {
                    (from, journal) = (_next, _journal);
                    if (from == 0 || journal is null)
                    {
                        return;
                    }
                }

                if (room <= 0)
                {
                    return;
                }

                _read.Clear();
                var next = journal.Read(from, room, _read);
                var moved = 0;
                foreach (var queued in _read)
                {
                    var bound = queued.Ticket is null && queued.Item.Addrs is null ? queued with { Item = _bind(queued.Item) } : queued;
                    if (!_window.Writer.TryWrite(bound))
                    {
                        next = queued.JournalSequence; // the window was completed (a drain): the rest stays in the journal
                        break;
                    }

                    moved++;
                }

                lock (_spill)
                {
                    _next = next;
                    var left = Interlocked.Add(ref _backlog, -moved); // items done meanwhile (by the generation before a reload) are not counted off
                    if (next > journal.LastSequence)
                    {
                        _next = 0; // caught up: new items go straight to the window again
                        Interlocked.Exchange(ref _backlog, 0);
                        return;
                    }

                    if (left < 0)
                    {
                        Interlocked.Exchange(ref _backlog, 0);
                    }
                }

                if (moved < _read.Count || (_read.Count == 0 && ++idle > 3))
                {
                    return; // the window was completed; or nothing readable (an append raced the catch-up: it is read next time)
                }
            }
        }
    }

    /// <summary>Takes the oldest item of the window out (to drop it); false when the window is empty.</summary>
    public bool TryTakeOldest(out QueuedItem oldest) => _window.Reader.TryRead(out oldest!);

    /// <summary>
    /// Takes what the window holds out, except journaled items: those stay pending in the journal, with the backlog,
    /// where the next generation's window (<see cref="UseJournal"/>) finds them in order.
    /// </summary>
    public IReadOnlyList<QueuedItem> TakeAll()
    {
        var left = new List<QueuedItem>();
        while (_window.Reader.TryRead(out var queued))
        {
            if (queued.JournalSequence == 0)
            {
                left.Add(queued);
            }
        }

        return left;
    }

    /// <summary>No more items: the worker stops once the window is empty (the backlog stays in the journal).</summary>
    public void Complete() => _window.Writer.TryComplete();
}
