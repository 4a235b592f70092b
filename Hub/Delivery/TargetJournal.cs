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
/// and not done. Appends are written by one writer with one fsync per batch (group commit): items accepted while a
/// flush runs share the next one.
/// </summary>
/// <remarks>
/// Record: kind (u8: 3 = item, 2 = done, 1 = an item as JSON from older versions), sequence number (u64), payload
/// length (u32), CRC-32 of the kind, sequence and payload (u32), then the payload (<see cref="JournalItemCodec"/>; for a
/// done record the last sequence number of the range it marks, or nothing for one item). Done items are kept in memory
/// as ranges (<see cref="JournalDoneSet"/>), and written as one range record per batch. A record cut short by a crash
/// or failing its CRC ends the journal: it is reported and cut off (its message was never acknowledged, so the broker
/// still has it). Past 1 MB, when the pending items take less than a quarter of it, the file is rewritten with only
/// them (emptied when none is pending). Memory per journal: the items not yet on disk (or whose write failed), the
/// done ranges, and a 64 KB read buffer.
/// </remarks>
public sealed class TargetJournal : IAsyncDisposable
{
    private const byte JsonItemRecord = 1, DoneRecord = 2, ItemRecord = 3;
    private const int HeaderSize = JournalScanner.HeaderSize;
    private const long CompactAbove = 1 << 20;
    private readonly Channel<Write> _writes = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<long, QueuedItem> _held = [];
    private readonly List<(long First, long Last)> _unwrittenDone = [];
    private readonly Lock _gate = new();
    private readonly Lock _readGate = new();
    private readonly JournalDoneSet _done;
    private readonly ILogger _logger;
    private readonly Task _writer;
    private FileStream _file;
    private long _sequence;
    private long _pendingCount;
    private long _pendingBytes;
    private int _doneSignalled;
    private bool _failing;
    private bool _heldGrew;
    private long _compactFailedAt = -CompactAbove;
    private TaskCompletionSource? _room;
    private SafeFileHandle? _readFile;
    private JournalScanner? _cursor;
    private long _cursorPassed;

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
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return (int)_pendingCount;
            }
        }
    }

    /// <summary>Bytes of the records of the items appended and not yet done.</summary>
    public long PendingBytes
    {
        get
        {
            lock (_gate)
            {
                return _pendingBytes;
            }
        }
    }

    /// <summary>The sequence number of the last item appended (0: none yet).</summary>
    public long LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _sequence;
            }
        }
    }

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

            valid = scanner.Offset;
            var length = RandomAccess.GetLength(handle);
            if (valid < length)
            {
                logger.LogWarning("Journal {Path}: the record at offset {Offset} is torn or corrupt ({Bytes} bytes): cut off. Its message was not acknowledged to the broker",
                    path, valid, length - valid);
            }

            // Second pass: the pending items, in order; what lies between them is done.
            done = new JournalDoneSet(last + 1);
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
    public (QueuedItem Journaled, Task Durable) Append(DeliveryItem item) =>
        Append(new QueuedItem(item, DateTimeOffset.UtcNow), JournalItemCodec.Encode(new QueuedItem(item, DateTimeOffset.UtcNow)));

    /// <summary>
    /// Appends an item whose record payload is <paramref name="payload"/> (<see cref="Encode"/>, done before taking any
    /// lock); returns it with its sequence number and record size, and a task that completes once it is on disk. Until
    /// then (and, should the write fail, until it is done) the journal holds the item in memory for <see cref="Read"/>.
    /// </summary>
    public (QueuedItem Journaled, Task Durable) Append(QueuedItem queued, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(queued);
        ArgumentNullException.ThrowIfNull(payload);
        var durable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        QueuedItem journaled;
        lock (_gate)
        {
            var sequence = ++_sequence;
            journaled = queued with { JournalSequence = sequence, JournalBytes = HeaderSize + payload.Length };
            _held[sequence] = journaled;
            _heldGrew |= _held.Count > 4096;
            _pendingCount++;
            _pendingBytes += journaled.JournalBytes;
            // In the lock: the writer gets the records in sequence order.
            if (!_writes.Writer.TryWrite(new Write(ItemRecord, sequence, payload, durable)))
            {
                durable.TrySetException(new ObjectDisposedException(Path, "the journal is closed"));
            }
        }

        return (journaled, durable.Task);
    }

    /// <summary>The record payload of an item (outside any lock: the per-item work of an append).</summary>
    public static byte[] Encode(QueuedItem queued) => JournalItemCodec.Encode(queued);

    /// <summary>Marks an item done (delivered, failed over, or kept as a dead letter): a restart will not deliver it again.</summary>
    public void Complete(QueuedItem queued)
    {
        ArgumentNullException.ThrowIfNull(queued);
        if (queued.JournalSequence == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_done.Contains(queued.JournalSequence))
            {
                return;
            }

            _done.Add(queued.JournalSequence, queued.JournalSequence);
            _held.Remove(queued.JournalSequence);
            _pendingCount--;
            _pendingBytes -= queued.JournalBytes;
            AddUnwritten(queued.JournalSequence);
            _room?.TrySetResult();
            _room = null;
        }

        if (Interlocked.Exchange(ref _doneSignalled, 1) == 0)
        {
            _writes.Writer.TryWrite(new Write(DoneRecord, 0, null, null)); // wakes the writer; one per batch
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

                    held = _held.GetValueOrDefault(from);
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
                continue;
            }

            item = Decode(kind, sequence, record);
            return true;
        }

        return false;
    }

    private static QueuedItem Decode(byte kind, long sequence, ReadOnlySpan<byte> record)
    {
        var payload = record[HeaderSize..];
        var queued = kind == ItemRecord
            ? JournalItemCodec.Decode(payload)
            : new QueuedItem(ItemJson.FromJson(JsonNode.Parse(payload)!.AsObject()), DateTimeOffset.UtcNow);
        return queued with { JournalSequence = sequence, JournalBytes = record.Length };
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
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
        var batch = new List<Write>();
        var done = new List<(long First, long Last)>();
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        var last = new byte[8];
        var reader = _writes.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            done.Clear();
            buffer.ResetWrittenCount();
            while (batch.Count < 4096 && reader.TryRead(out var write))
            {
                if (write.Payload is not null)
                {
                    batch.Add(write);
                    WriteRecord(buffer, write.Kind, write.Sequence, write.Payload);
                }
            }

            Volatile.Write(ref _doneSignalled, 0);
            lock (_gate)
            {
                done.AddRange(_unwrittenDone);
                _unwrittenDone.Clear();
            }

            foreach (var (first, end) in done)
            {
                BinaryPrimitives.WriteInt64LittleEndian(last, end);
                WriteRecord(buffer, DoneRecord, first, last);
            }

            if (buffer.WrittenCount == 0)
            {
                continue;
            }

            var start = _file.Position;
            try
            {
                _file.Write(buffer.WrittenSpan);
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
                lock (_gate)
                {
                    _unwrittenDone.InsertRange(0, done); // written with the next batch
                }

                foreach (var write in batch)
                {
                    write.Durable?.TrySetException(ex);
                }

                Reclaim(); // a full disk: once every item in the file is done, emptying it makes room
                continue;
            }

            if (_failing)
            {
                _failing = false;
                _logger.LogWarning("Journal {Path}: writing works again", Path);
            }

            lock (_gate)
            {
                foreach (var write in batch)
                {
                    _held.Remove(write.Sequence);
                }

                if (_held.Count == 0 && _heldGrew)
                {
                    _held.TrimExcess(); // the writer caught up after a burst: give back the table
                    _heldGrew = false;
                }
            }

            foreach (var write in batch)
            {
                write.Durable?.TrySetResult();
            }

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
    }

    /// <summary>Empties the file when every item in it is done (the pending ones, if any, are still held in memory).</summary>
    private void Reclaim()
    {
        lock (_gate)
        {
            if (_pendingCount != _held.Count)
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
            if (_pendingCount != _held.Count && length < _compactFailedAt + CompactAbove)
            {
                return;
            }
        }

        Reclaim();
        if (_file.Length == 0)
        {
            return;
        }

        // Items appended meanwhile are still in the channel and go to the new file next; records are copied as they are.
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

    private static void WriteRecord(ArrayBufferWriter<byte> buffer, byte kind, long sequence, ReadOnlySpan<byte> payload)
    {
        var record = buffer.GetSpan(HeaderSize + payload.Length)[..(HeaderSize + payload.Length)];
        record[0] = kind;
        BinaryPrimitives.WriteInt64LittleEndian(record[1..], sequence);
        BinaryPrimitives.WriteInt32LittleEndian(record[9..], payload.Length);
        payload.CopyTo(record[HeaderSize..]);
        var crc = Crc32.Compute(record[HeaderSize..], Crc32.Compute(record[..13]));
        BinaryPrimitives.WriteUInt32LittleEndian(record[13..], crc);
        buffer.Advance(record.Length);
    }

    private readonly record struct Write(byte Kind, long Sequence, byte[]? Payload, TaskCompletionSource? Durable);
}
