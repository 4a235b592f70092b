using System.Buffers.Binary;

namespace Hub.Delivery;

/// <summary>
/// The records of one group commit of a <see cref="TargetJournal"/>: appends copy their record into one buffer (under
/// the journal's lock), the writer fills in the CRCs (<see cref="Seal"/>) and writes the buffer with one write and one
/// fsync. Two batches take turns: one fills while the other is written. Its items, in sequence order without gaps,
/// stay readable from here until they are in the file.
/// </summary>
internal sealed class JournalBatch
{
    private const int HeaderSize = JournalScanner.HeaderSize;
    private const int InitialBytes = 1 << 16;
    private byte[] _bytes = new byte[InitialBytes];
    private int _length;

    /// <summary>The items, in sequence order without gaps.</summary>
    public List<QueuedItem> Items { get; } = [];

    /// <summary>The done ranges written with the batch.</summary>
    public List<(long First, long Last)> DoneRanges { get; } = [];

    /// <summary>Completes once the batch is on disk (fails when its write failed).</summary>
    public TaskCompletionSource Durable { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count => Items.Count;

    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, _length);

    /// <summary>The item of <paramref name="sequence"/> if this batch holds it.</summary>
    public QueuedItem? Find(long sequence)
    {
        if (Items.Count == 0)
        {
            return null;
        }

        var index = sequence - Items[0].JournalSequence;
        return index >= 0 && index < Items.Count ? Items[(int)index] : null;
    }

    /// <summary>Adds an item's record (its CRC is filled in by <see cref="Seal"/>).</summary>
    public void Add(QueuedItem journaled, byte kind, ReadOnlySpan<byte> payload)
    {
        Header(kind, journaled.JournalSequence, payload);
        Items.Add(journaled);
    }

    /// <summary>Adds a done record for <paramref name="first"/>..<paramref name="last"/>.</summary>
    public void AddDone(long first, long last)
    {
        Span<byte> end = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(end, last);
        Header(2, first, end);
        DoneRanges.Add((first, last));
    }

    /// <summary>Fills in every record's CRC-32 (of its kind, sequence number, length and payload): the writer's work, not the appender's.</summary>
    public void Seal(System.IO.Hashing.Crc32 crc)
    {
        var at = 0;
        while (at < _length)
        {
            var record = _bytes.AsSpan(at);
            var length = HeaderSize + BinaryPrimitives.ReadInt32LittleEndian(record[9..]);
            crc.Append(record[..13]);
            crc.Append(record[HeaderSize..length]);
            BinaryPrimitives.WriteUInt32LittleEndian(record[13..], crc.GetCurrentHashAsUInt32());
            crc.Reset();
            at += length;
        }
    }

    /// <summary>Empty again, for the next turn (a buffer that a burst grew past 4 MB is let go).</summary>
    public void Reset()
    {
        _length = 0;
        if (_bytes.Length > 4 << 20)
        {
            _bytes = new byte[InitialBytes];
        }

        Items.Clear();
        if (Items.Capacity > 1 << 16)
        {
            Items.Capacity = 1024;
        }

        DoneRanges.Clear();
        Durable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private void Header(byte kind, long sequence, ReadOnlySpan<byte> payload)
    {
        var size = HeaderSize + payload.Length;
        if (_bytes.Length - _length < size)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + size));
        }

        var record = _bytes.AsSpan(_length, size);
        record[0] = kind;
        BinaryPrimitives.WriteInt64LittleEndian(record[1..], sequence);
        BinaryPrimitives.WriteInt32LittleEndian(record[9..], payload.Length);
        payload.CopyTo(record[HeaderSize..]);
        _length += size;
    }
}
