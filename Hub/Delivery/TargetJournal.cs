using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace Hub.Delivery;

/// <summary>
/// The on-disk journal of one durable target (<c>durable = true</c>): every accepted item is appended
/// and flushed to disk before the hub acknowledges its message to the broker, and marked done once the
/// target took it (or it failed over, or became a dead letter). A restarted hub delivers what was
/// journaled and not done. Appends are written by one writer with one fsync per batch (group commit):
/// items accepted while a flush runs share the next one.
/// </summary>
/// <remarks>
/// Record: kind (1 = item, 2 = done), sequence number (u64), payload length (u32), CRC-32 of the
/// kind, sequence and payload (u32), then the payload (the item as JSON). A record cut short by a crash
/// or failing its CRC ends the journal: it is reported and cut off (its message was never acknowledged,
/// so the broker still has it). Past 1 MB, when the pending items take less than a quarter of it, the file
/// is rewritten with only them (emptied when none is pending).
/// </remarks>
public sealed class TargetJournal : IAsyncDisposable
{
    private const byte ItemRecord = 1, DoneRecord = 2;
    private const int HeaderSize = 1 + 8 + 4 + 4;
    private const long CompactAbove = 1 << 20;
    private readonly Channel<Write> _writes = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<long, byte[]> _pending = [];
    private readonly Lock _gate = new();
    private readonly ILogger _logger;
    private readonly Task _writer;
    private FileStream _file;
    private long _sequence;
    private long _pendingBytes;
    private TaskCompletionSource? _room;

    private TargetJournal(string path, FileStream file, long sequence, ILogger logger)
    {
        Path = path;
        _file = file;
        _sequence = sequence;
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
                return _pending.Count;
            }
        }
    }

    /// <summary>Opens (or creates) the journal and returns what it held that is not done, in order. A torn tail is reported and cut off.</summary>
    public static TargetJournal Open(string path, ILogger logger, out IReadOnlyList<(long Sequence, DeliveryItem Item)> recovered)
    {
        ArgumentNullException.ThrowIfNull(logger);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var pending = new SortedDictionary<long, byte[]>();
        long last = 0;
        if (File.Exists(path))
        {
            var bytes = File.ReadAllBytes(path);
            var offset = 0;
            while (offset < bytes.Length)
            {
                if (!TryRead(bytes.AsSpan(offset), out var kind, out var sequence, out var payload, out var size))
                {
                    logger.LogWarning("Journal {Path}: the record at offset {Offset} is torn or corrupt ({Bytes} bytes): cut off. Its message was not acknowledged to the broker",
                        path, offset, bytes.Length - offset);
                    break;
                }

                if (kind == ItemRecord)
                {
                    pending[sequence] = payload.ToArray();
                }
                else
                {
                    pending.Remove(sequence);
                }

                last = Math.Max(last, sequence);
                offset += size;
            }
        }

        // Start from a file that holds exactly the pending items (written aside, flushed, then renamed).
        var items = new List<(long, DeliveryItem)>();
        var temporary = path + ".tmp";
        using (var rewrite = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            foreach (var (sequence, payload) in pending)
            {
                rewrite.Write(Encode(ItemRecord, sequence, payload));
                items.Add((sequence, ItemJson.FromJson(JsonNode.Parse(payload)!.AsObject())));
            }

            rewrite.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        var file = OpenForAppend(path);
        var journal = new TargetJournal(path, file, last, logger);
        lock (journal._gate)
        {
            foreach (var (sequence, payload) in pending)
            {
                journal._pending[sequence] = payload;
                journal._pendingBytes += payload.Length;
            }
        }

        recovered = items;
        return journal;
    }

    /// <summary>Bytes of the items appended and not yet done.</summary>
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

    /// <summary>Appends an item; the task completes once it is on disk. The sequence number marks it done later.</summary>
    public (long Sequence, Task Durable) Append(DeliveryItem item)
    {
        var payload = Encoding.UTF8.GetBytes(ItemJson.ToJson(item).ToJsonString());
        var durable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long sequence;
        lock (_gate)
        {
            sequence = ++_sequence;
            _pending[sequence] = payload;
            _pendingBytes += payload.Length;
        }

        if (!_writes.Writer.TryWrite(new Write(ItemRecord, sequence, payload, durable)))
        {
            durable.TrySetException(new ObjectDisposedException(Path, "the journal is closed"));
        }

        return (sequence, durable.Task);
    }

    /// <summary>Marks an item done (delivered, failed over, or kept as a dead letter): a restart will not deliver it again.</summary>
    public void Complete(long sequence)
    {
        lock (_gate)
        {
            if (!_pending.Remove(sequence, out var payload))
            {
                return;
            }

            _pendingBytes -= payload.Length;
            _room?.TrySetResult();
            _room = null;
        }

        _writes.Writer.TryWrite(new Write(DoneRecord, sequence, [], null));
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Write>();
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        var reader = _writes.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            buffer.ResetWrittenCount();
            while (batch.Count < 4096 && reader.TryRead(out var write))
            {
                batch.Add(write);
                buffer.Write(Encode(write.Kind, write.Sequence, write.Payload));
            }

            try
            {
                _file.Write(buffer.WrittenSpan);
                _file.Flush(flushToDisk: batch.Exists(w => w.Kind == ItemRecord));
                foreach (var write in batch)
                {
                    write.Durable?.TrySetResult();
                }

                Compact();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ObjectDisposedException)
            {
                _logger.LogError("Journal {Path}: writing failed: {Reason}", Path, ex.Message);
                foreach (var write in batch)
                {
                    write.Durable?.TrySetException(ex);
                }
            }
        }
    }

    /// <summary>Rewrites the file with only the pending items (or empties it) once it has grown well beyond them.</summary>
    private void Compact()
    {
        List<(long, byte[])>? live = null;
        lock (_gate)
        {
            if (_file.Length <= CompactAbove || _pendingBytes * 4 >= _file.Length)
            {
                return;
            }

            if (_pending.Count == 0)
            {
                _file.SetLength(0);
                return;
            }

            live = [.. _pending.OrderBy(p => p.Key).Select(p => (p.Key, p.Value))];
        }

        if (live is null)
        {
            return;
        }

        // Items appended meanwhile are still in the channel and go to the new file next.
        var temporary = Path + ".tmp";
        using (var rewrite = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            foreach (var (sequence, payload) in live)
            {
                lock (_gate)
                {
                    if (!_pending.ContainsKey(sequence))
                    {
                        continue; // done meanwhile; its done record is queued, harmless without the item
                    }
                }

                rewrite.Write(Encode(ItemRecord, sequence, payload));
            }

            rewrite.Flush(flushToDisk: true);
        }

        _file.Dispose();
        File.Move(temporary, Path, overwrite: true);
        _file = OpenForAppend(Path);
    }

    /// <summary>Positioned at the end; not FileMode.Append, which forbids emptying the file.</summary>
    private static FileStream OpenForAppend(string path)
    {
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, 1 << 16);
        file.Seek(0, SeekOrigin.End);
        return file;
    }

    private static byte[] Encode(byte kind, long sequence, ReadOnlySpan<byte> payload)
    {
        var record = new byte[HeaderSize + payload.Length];
        record[0] = kind;
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(1), sequence);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(9), payload.Length);
        payload.CopyTo(record.AsSpan(HeaderSize));
        var crc = Crc32.Compute(record.AsSpan(HeaderSize), Crc32.Compute(record.AsSpan(0, 13)));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(13), crc);
        return record;
    }

    private static bool TryRead(ReadOnlySpan<byte> data, out byte kind, out long sequence, out ReadOnlySpan<byte> payload, out int size)
    {
        kind = 0;
        sequence = 0;
        payload = default;
        size = 0;
        if (data.Length < HeaderSize)
        {
            return false;
        }

        kind = data[0];
        sequence = BinaryPrimitives.ReadInt64LittleEndian(data[1..]);
        var length = BinaryPrimitives.ReadInt32LittleEndian(data[9..]);
        if (kind is not (ItemRecord or DoneRecord) || length < 0 || length > data.Length - HeaderSize)
        {
            return false;
        }

        payload = data.Slice(HeaderSize, length);
        var crc = Crc32.Compute(payload, Crc32.Compute(data[..13]));
        size = HeaderSize + length;
        return crc == BinaryPrimitives.ReadUInt32LittleEndian(data[13..]);
    }

    private readonly record struct Write(byte Kind, long Sequence, byte[] Payload, TaskCompletionSource? Durable);
}
