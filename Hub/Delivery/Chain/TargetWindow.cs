using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Hub.Delivery.Chain;

/// <summary>
/// The items of one target waiting for its worker: a bounded window (<c>max_queue</c>) that the worker reads, and for a
/// durable target the backlog behind it (journaled items that did not fit), in order: once anything waits in the
/// backlog, new journaled items join it, and they move into the window as it empties (<see cref="Refill"/>).
/// </summary>
internal sealed class TargetWindow(int capacity)
{
    private readonly Channel<QueuedItem> _window = Channel.CreateBounded<QueuedItem>(new BoundedChannelOptions(capacity)
    {
        // One worker, plus the producer side that drops the oldest item when the target is failing.
        SingleReader = false,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly ConcurrentQueue<QueuedItem> _backlog = new();
    private readonly Lock _spill = new();

    public ChannelReader<QueuedItem> Reader => _window.Reader;

    /// <summary>Items waiting, in the window and in the backlog.</summary>
    public int Count => _window.Reader.Count + _backlog.Count;

    public bool IsEmpty => _window.Reader.Count == 0 && _backlog.IsEmpty;

    public bool TryWrite(QueuedItem queued) => _window.Writer.TryWrite(queued);

    /// <summary>Waits for room in the window (backpressure).</summary>
    public ValueTask WriteAsync(QueuedItem queued, CancellationToken cancellationToken) => _window.Writer.WriteAsync(queued, cancellationToken);

    /// <summary>A journaled item joins the window, or the backlog when the window is full or anything waits there already.</summary>
    public void Spill(QueuedItem queued)
    {
        lock (_spill)
        {
            if (!_backlog.IsEmpty || !_window.Writer.TryWrite(queued))
            {
                _backlog.Enqueue(queued);
            }
        }
    }

    /// <summary>Moves backlog items into the window while it has room, oldest first.</summary>
    public void Refill()
    {
        if (_backlog.IsEmpty)
        {
            return;
        }

        lock (_spill)
        {
            while (_backlog.TryPeek(out var head) && _window.Writer.TryWrite(head))
            {
                _backlog.TryDequeue(out _);
            }
        }
    }

    /// <summary>Takes the oldest item of the window out (to drop it); false when the window is empty.</summary>
    public bool TryTakeOldest(out QueuedItem oldest) => _window.Reader.TryRead(out oldest!);

    /// <summary>Takes everything out, window first: what a drain left behind.</summary>
    public IReadOnlyList<QueuedItem> TakeAll()
    {
        var left = new List<QueuedItem>();
        while (_window.Reader.TryRead(out var queued))
        {
            left.Add(queued);
        }

        lock (_spill)
        {
            while (_backlog.TryDequeue(out var queued))
            {
                left.Add(queued);
            }
        }

        return left;
    }

    /// <summary>No more items: the worker stops once the window is empty (the backlog stays in the journal).</summary>
    public void Complete() => _window.Writer.TryComplete();
}
