using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Hub.Plugins;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Hub.Delivery;

/// <summary>
/// The on-disk journal of one durable target (<c>durable = true</c>), and its backlog: every accepted item is appended
/// and flushed to disk before the hub acknowledges its message to the broker, and marked done once the target took it
/// (or it failed over, or became a dead letter). What waits behind the target's in-memory window is read back from
/// here in order (<see cref="Read"/>), so a backlog costs disk, not memory; a restarted hub delivers what was journaled
/// and not done. One writer writes: an append only copies its record into the next batch's buffer (under one short
/// lock); the writer takes the whole batch, writes it with one write and one fsync (group commit: items appended while
/// a flush runs share the next one), then accepts the batch's messages (<see cref="AcceptanceTicket"/>) at once.
/// </summary>
/// <remarks>
/// Record: kind (u8), sequence number (u64), payload length (u32), CRC-32 of the kind, sequence, length and payload
/// (u32), then the payload. Kinds: 4 = an item (<see cref="JournalItemCodec"/>, written), 2 = done (the payload: the
/// last sequence number of the range it marks, or nothing for one item), and, read from journals of older versions,
/// 3 = an item with its data as JSON text and 1 = an item as a JSON document. A record of any other kind that is intact
/// (its CRC matches) was written by a newer version: the journal is refused (an <see cref="IOException"/>), not
/// cut off. Done items are kept in memory as ranges (<see cref="JournalDoneSet"/>), and written as one range record per
/// batch. A record cut short by a crash or failing its CRC ends the journal: it is reported and cut off (its message was
/// never acknowledged, so the broker still has it). Past 1 MB, when the pending items take less than a quarter of it,
/// the file is rewritten with only them (emptied when none is pending). Memory per journal: the items not yet on disk
/// (or whose write failed), the batch buffers, the done ranges, and a 64 KB read buffer.
/// </remarks>
public sealed class TargetJournal : IAsyncDisposable
{
    private const byte JsonItemRecord = 1, DoneRecord = 2, ItemRecordVersion3 = 3, ItemRecord = 4;
    private const int HeaderSize = JournalScanner.HeaderSize;
    private const long CompactAbove = 1 << 20;

    // Wakes the writer (one signal while it sleeps, not one per item).
    private readonly Channel<byte> _wake = Channel.CreateBounded<byte>(new BoundedChannelOptions(1) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<long, QueuedItem> _unwritten = [];
    private readonly List<(long First, long Last)> _unwrittenDone = [];
    private readonly Lock _gate = new();
    private readonly Lock _readGate = new();
    private readonly JournalDoneSet _done;
    private readonly ILogger _logger;
    private readonly System.IO.Hashing.Crc32 _crc = new();
    private readonly Task _writer;
    private FileStream _file;
    private long _sequence;
    private long _pendingCount;
    private long _pendingBytes;
    private bool _failing;
    private bool _unwrittenGrew;
    private bool _writerAwake;
    private bool _closed;
    private long _compactFailedAt = -CompactAbove;
    private TaskCompletionSource? _room;
    private SafeFileHandle? _readFile;
    private JournalScanner? _cursor;
    private long _cursorPassed;

    // Under _gate: the records appended since the writer took the last batch, and the batch it is writing.
    private JournalBatch _next = new();
    private JournalBatch _writing = new();

    private TargetJournal(string path, FileStream file, long sequence, JournalDoneSet done, long pendingCount, long pendingBytes, ILogger logger)
    {
        Path = path;
        _file = file;
        _sequence = sequence;
        _done = done;
        _pendingCount = pendingCount;
        _pendingBytes = pendingBytes;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    public string Path { get; }

    /// <summary>Items appended and not yet done.</summary>
    public int PendingCount => (int)Volatile.Read(ref _pendingCount); // written under _gate

    /// <summary>Bytes of the records of the items appended and not yet done.</summary>
    public long PendingBytes => Volatile.Read(ref _pendingBytes); // written under _gate; read without it (every enqueue asks)

    /// <summary>The sequence number of the last item appended (0: none yet).</summary>
    public long LastSequence => Volatile.Read(ref _sequence); // written under _gate

    /// <summary>The oldest sequence number that may still be pending.</summary>
    public long FirstPending
    {
        get
        {
            lock (_gate)
            {
                return _done.Below;
            }
        }
    }

    /// <summary>
    /// Opens (or creates) the journal, reading it through once to learn what is pending (nothing is kept but counts and
    /// the done ranges: the items stay on disk until <see cref="Read"/> asks for them). A torn tail is reported and cut off.
    /// </summary>
    public static TargetJournal Open(string path, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var done = new JournalDoneSet(1);
        long last = 0, count = 0, bytes = 0;
        var valid = 0L;
        if (File.Exists(path))
        {
            try
            {
                (last, count, bytes, valid, done) = Scan(path, logger);
            }
            catch (InvalidDataException ex)
            {
                // An IOException: the hub reports it as it does a state directory it cannot use ("hub: cannot start: ..."), without a stack trace.
                throw new IOException($"Journal {path}: {ex.Message}", ex);
            }
        }

        var file = OpenForAppend(path);
        if (file.Length > valid)
        {
            file.SetLength(valid);
            file.Flush(flushToDisk: true);
        }

        file.Seek(0, SeekOrigin.End);
        return new TargetJournal(path, file, last, done, count, bytes, logger);
    }

    /// <summary>Reads the journal through twice (headers and CRCs; no item is decoded): the last sequence number, the pending items' count and bytes, where the intact records end, and the done set.</summary>
    private static (long Last, long Count, long Bytes, long Valid, JournalDoneSet Done) Scan(string path, ILogger logger)
    {
        long last = 0, count = 0, bytes = 0;
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        // First pass: the done records (the items they mark come before them).
        var scanner = new JournalScanner(handle);
        var doneRecords = new JournalDoneSet(1);
        while (scanner.TryNext(out var kind, out var sequence, out var record))
        {
            last = Math.Max(last, sequence);
            if (kind == DoneRecord)
            {
                doneRecords.Add(sequence, record.Length > HeaderSize ? BinaryPrimitives.ReadInt64LittleEndian(record[HeaderSize..]) : sequence);
            }
        }

        var valid = scanner.Offset;
        var length = RandomAccess.GetLength(handle);
        if (valid < length)
        {
            logger.LogWarning("Journal {Path}: the record at offset {Offset} is torn or corrupt ({Bytes} bytes): cut off. Its message was not acknowledged to the broker",
                path, valid, length - valid);
        }

        // Second pass: the pending items, in order; what lies between them is done.
        var done = new JournalDoneSet(last + 1);
        var first = true;
        long previous = 0;
        scanner = new JournalScanner(handle);
        while (scanner.Offset < valid && scanner.TryNext(out var kind, out var sequence, out var record))
        {
            if (kind == DoneRecord || doneRecords.Contains(sequence))
            {
                continue;
            }

            if (first)
            {
                done = new JournalDoneSet(sequence);
                first = false;
            }
            else if (sequence > previous + 1)
            {
                done.Add(previous + 1, sequence - 1);
            }

            previous = sequence;
            count++;
            bytes += record.Length;
        }

        if (!first && previous < last)
        {
            done.Add(previous + 1, last);
        }

        return (last, count, bytes, valid, done);
    }

    /// <summary>Opens the journal and reads what it held that is not done, in order (all of it in memory: for tools and tests).</summary>
    public static TargetJournal Open(string path, ILogger logger, out IReadOnlyList<QueuedItem> recovered)
    {
        var journal = Open(path, logger);
        var items = new List<QueuedItem>();
        var from = journal.FirstPending;
        while (true)
        {
            var before = items.Count;
            from = journal.Read(from, 1024, items);
            if (items.Count == before)
            {
                break;
            }
        }

        recovered = items;
        return journal;
    }

    /// <summary>Completes once the undone items take fewer than <paramref name="limit"/> bytes.</summary>
    public async Task WaitForRoomAsync(long limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room;
            lock (_gate)
            {
                if (_pendingBytes < limit)
                {
                    return;
                }

                room = (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await room.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Appends an item (for tests and tools); the task completes once it is on disk.</summary>
    public (QueuedItem Journaled, Task Durable) Append(DeliveryItem item) => Append(new QueuedItem(item, DateTimeOffset.UtcNow));

    /// <summary>Appends an item; the task completes once it is on disk (then the item's <see cref="QueuedItem.Ticket"/> is accepted too).</summary>
    public (QueuedItem Journaled, Task Durable) Append(QueuedItem queued)
    {
        ArgumentNullException.ThrowIfNull(queued);
        var buffer = JournalItemCodec.Encode(queued, out var length);
        return Append(queued, buffer.AsSpan(0, length));
    }

    /// <summary>
    /// Appends an item whose record payload is <paramref name="payload"/> (<see cref="JournalItemCodec.Encode(QueuedItem, out int)"/>,
    /// done before taking any lock): copies the record into the next batch and returns the item with its sequence number
    /// and record size, and the batch's task, which completes once the batch is on disk. The writer accepts the item's
    /// <see cref="QueuedItem.Ticket"/> then; should the write fail, the ticket stays open (the target accepts it once it
    /// has delivered the item) and the journal holds the item in memory for <see cref="Read"/> until it is done.
    /// </summary>
    internal (QueuedItem Journaled, Task Durable) Append(QueuedItem queued, ReadOnlySpan<byte> payload)
    {
        QueuedItem journaled;
        Task durable;
        bool wake;
        lock (_gate)
        {
            if (_closed)
            {
                return (queued, Task.FromException(new ObjectDisposedException(Path, "the journal is closed")));
            }

            var sequence = ++_sequence;
            journaled = queued with { JournalSequence = sequence, JournalBytes = HeaderSize + payload.Length };
            _next.Add(journaled, ItemRecord, payload);
            _pendingCount++;
            _pendingBytes += journaled.JournalBytes;
            durable = _next.Durable.Task;
            wake = !_writerAwake;
            _writerAwake = true;
        }

        if (wake)
        {
            _wake.Writer.TryWrite(0);
        }

        return (journaled, durable);
    }

    /// <summary>Marks an item done (delivered, failed over, or kept as a dead letter): a restart will not deliver it again.</summary>
    public void Complete(QueuedItem queued)
    {
        ArgumentNullException.ThrowIfNull(queued);
        if (queued.JournalSequence == 0)
        {
            return;
        }

        bool wake;
        lock (_gate)
        {
            if (_done.Contains(queued.JournalSequence))
            {
                return;
            }

            _done.Add(queued.JournalSequence, queued.JournalSequence);
            if (_unwritten.Remove(queued.JournalSequence) && _unwritten.Count == 0 && _unwrittenGrew)
            {
                _unwritten.TrimExcess(); // delivered what could not be written after a burst: give back the table
                _unwrittenGrew = false;
            }

            _pendingCount--;
            _pendingBytes -= queued.JournalBytes;
            AddUnwritten(queued.JournalSequence);
            _room?.TrySetResult();
            _room = null;
            wake = !_writerAwake; // the done records go with the next batch; an idle writer writes them now
            _writerAwake = true;
        }

        if (wake)
        {
            _wake.Writer.TryWrite(0);
        }
    }

    /// <summary>
    /// Pending items from sequence number <paramref name="from"/> on, in order, up to <paramref name="max"/> of them, into
    /// <paramref name="into"/>: those not yet on disk from memory, the rest read from the file. Returns the sequence number
    /// to read from next time.
    /// </summary>
    public long Read(long from, int max, List<QueuedItem> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        lock (_readGate)
        {
            var taken = 0;
            while (taken < max)
            {
                QueuedItem? held;
                lock (_gate)
                {
                    from = _done.SkipDone(from);
                    if (from > _sequence)
                    {
                        return from;
                    }

                    held = _writing.Find(from) ?? _next.Find(from) ?? _unwritten.GetValueOrDefault(from);
                }

                if (held is null && !TryReadFromFile(from, out held))
                {
                    break; // not readable now (cannot happen for an item appended and not held; the caller looks again later)
                }

                into.Add(held!);
                taken++;
                from = held!.JournalSequence + 1;
            }

            return from;
        }
    }

    /// <summary>The first pending item record at or after <paramref name="from"/> in the file, moving the cursor on.</summary>
    private bool TryReadFromFile(long from, out QueuedItem? item)
    {
        item = null;
        if (_cursor is null || from <= _cursorPassed)
        {
            // First read, after a compaction, or asked for something behind the cursor (another generation's window).
            _readFile?.Dispose();
            _readFile = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            _cursor = new JournalScanner(_readFile);
            _cursorPassed = 0;
        }

        while (_cursor.TryNext(out var kind, out var sequence, out var record))
        {
            if (kind == DoneRecord)
            {
                continue;
            }

            _cursorPassed = sequence;
            bool done;
            lock (_gate)
            {
                done = sequence < from || _done.Contains(sequence);
            }

            if (done)
            {
                continue; // skipped by its header: a done item's payload is not decoded
            }

            item = Decode(kind, sequence, record);
            return true;
        }

        return false;
    }

    private static QueuedItem Decode(byte kind, long sequence, ReadOnlySpan<byte> record)
    {
        var payload = record[HeaderSize..];
        return kind == JsonItemRecord
            ? new QueuedItem(ItemJson.FromJson(JsonNode.Parse(payload)!.AsObject()), DateTimeOffset.UtcNow) { JournalSequence = sequence, JournalBytes = record.Length }
            : JournalItemCodec.Decode(payload, kind, sequence, record.Length);
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _closed = true;
        }

        _wake.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
        lock (_readGate)
        {
            _readFile?.Dispose();
            _readFile = null;
            _cursor = null;
        }
    }

    private void AddUnwritten(long sequence)
    {
        if (_unwrittenDone.Count > 0 && _unwrittenDone[^1].Last + 1 == sequence)
        {
            _unwrittenDone[^1] = (_unwrittenDone[^1].First, sequence);
        }
        else
        {
            _unwrittenDone.Add((sequence, sequence));
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _wake.Reader;
        do
        {
            reader.TryRead(out _);
            while (TakeBatch(out var batch))
            {
                WriteBatch(batch);
            }
        }
        while (await reader.WaitToReadAsync().ConfigureAwait(false));

        while (TakeBatch(out var batch))
        {
            WriteBatch(batch); // appended as the journal closed
        }
    }

    /// <summary>Swaps the next batch (and the done ranges) for an empty one; false, and the writer sleeps, when there is nothing.</summary>
    private bool TakeBatch(out JournalBatch batch)
    {
        lock (_gate)
        {
            if (_next.Count == 0 && _unwrittenDone.Count == 0)
            {
                _writerAwake = false;
                batch = _next;
                return false;
            }

            (_writing, _next) = (_next, _writing);
            batch = _writing;
            foreach (var (first, last) in _unwrittenDone)
            {
                batch.AddDone(first, last);
            }

            _unwrittenDone.Clear();
            return true;
        }
    }

    /// <summary>One write and (when it holds items) one fsync for the batch, then its items' messages are accepted.</summary>
    private void WriteBatch(JournalBatch batch)
    {
        batch.Seal(_crc);
        var start = _file.Position;
        try
        {
            _file.Write(batch.Written);
            _file.Flush(flushToDisk: batch.Count > 0); // done records need no fsync: lost, their items are only delivered again
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ObjectDisposedException)
        {
            if (!_failing)
            {
                _failing = true;
                _logger.LogError("Journal {Path}: writing failed: {Reason}. Items not written are kept in memory and not acknowledged to the broker until delivered",
                    Path, ex.Message);
            }

            Truncate(start);
            var failed = batch.Durable;
            lock (_gate)
            {
                foreach (var item in batch.Items)
                {
                    if (!_done.Contains(item.JournalSequence))
                    {
                        _unwritten[item.JournalSequence] = item;
                    }
                }

                _unwrittenGrew |= _unwritten.Count > 4096;
                _unwrittenDone.InsertRange(0, batch.DoneRanges); // written with the next batch
                batch.Reset();
            }

            failed.TrySetException(ex);
            Reclaim(); // a full disk: once every item in the file is done, emptying it makes room
            return;
        }

        if (_failing)
        {
            _failing = false;
            _logger.LogWarning("Journal {Path}: writing works again", Path);
        }

        // On disk: the batch's messages may be acknowledged to the broker (in append order), all at once.
        foreach (var item in batch.Items)
        {
            item.Ticket?.Accept();
        }

        var durable = batch.Durable;
        lock (_gate)
        {
            batch.Reset(); // its items are read from the file from now on
        }

        durable.TrySetResult();
        try
        {
            Compact();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The file is as it was (the rewrite goes to a temporary file first): try again once it has grown by as much again.
            _compactFailedAt = _file.Length;
            _logger.LogWarning("Journal {Path}: compacting failed: {Reason}", Path, ex.Message);
            File.Delete(Path + ".tmp");
        }
    }

    /// <summary>How many pending items are not in the file (appended since the last batch, or their write failed); under _gate.</summary>
    private long NotInFile()
    {
        var count = (long)_unwritten.Count;
        foreach (var item in _next.Items)
        {
            count += _done.Contains(item.JournalSequence) ? 0 : 1;
        }

        return count;
    }

    /// <summary>Empties the file when every item in it is done (the pending ones, if any, are still held in memory).</summary>
    private void Reclaim()
    {
        lock (_gate)
        {
            if (_pendingCount != NotInFile())
            {
                return;
            }

            _unwrittenDone.Clear(); // their items are gone with the file
        }

        lock (_readGate)
        {
            try
            {
                _file.SetLength(0);
                _file.Seek(0, SeekOrigin.Begin);
                _cursor = null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _logger.LogWarning("Journal {Path}: emptying failed: {Reason}", Path, ex.Message);
            }
        }
    }

    /// <summary>After a failed write: cut off what part of the batch reached the file, so the next batch follows whole records.</summary>
    private void Truncate(long length)
    {
        try
        {
            _file.SetLength(length);
            _file.Seek(length, SeekOrigin.Begin);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _logger.LogError("Journal {Path}: cutting off a failed write failed: {Reason}", Path, ex.Message);
        }
    }

    /// <summary>Rewrites the file with only the pending items (or empties it) once it has grown well beyond them.</summary>
    private void Compact()
    {
        lock (_gate)
        {
            var length = _file.Length;
            if (length <= CompactAbove || _pendingBytes * 4 >= length)
            {
                return;
            }

            // Items still held are not in the file yet (or their write failed): they stay held either way.
            if (_pendingCount != NotInFile() && length < _compactFailedAt + CompactAbove)
            {
                return;
            }
        }

        Reclaim();
        if (_file.Length == 0)
        {
            return;
        }

        // Items appended meanwhile are in the next batch and go to the new file; records are copied as they are.
        var temporary = Path + ".tmp";
        using (var rewrite = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            using var old = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var scanner = new JournalScanner(old);
            while (scanner.TryNext(out var kind, out var sequence, out var record))
            {
                if (kind == DoneRecord)
                {
                    continue;
                }

                lock (_gate)
                {
                    if (_done.Contains(sequence))
                    {
                        continue;
                    }
                }

                rewrite.Write(record);
            }

            rewrite.Flush(flushToDisk: true);
        }

        lock (_readGate)
        {
            _file.Dispose();
            File.Move(temporary, Path, overwrite: true);
            _file = OpenForAppend(Path);
            _file.Seek(0, SeekOrigin.End);
            _cursor = null;
        }
    }

    /// <summary>Not FileMode.Append, which forbids emptying the file; unbuffered: each batch is one write of whole records.</summary>
    private static FileStream OpenForAppend(string path) =>
        new(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
}
