using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Hub.Delivery;

/// <summary>
/// Reads a journal file record by record through a 64 KB buffer (a record larger than that grows it), without holding
/// the file in memory. At the end of what is written it stops and, asked again, reads on from there: the journal's
/// backlog cursor follows the file while the writer appends to it. Record kinds 1 to 4 are known (<see cref="TargetJournal"/>);
/// an intact record of another kind was written by a newer version of Hub and is refused with an <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class JournalScanner(SafeFileHandle file, long offset = 0)
{
    public const int HeaderSize = 1 + 8 + 4 + 4;
    private const byte NewestKind = 4;
    private readonly System.IO.Hashing.Crc32 _crc = new();
    private byte[] _buffer = new byte[1 << 16];
    private long _start = offset;
    private int _length;
    private int _position;

    /// <summary>The file offset of the next record.</summary>
    public long Offset => _start + _position;

    /// <summary>True once a record failed its checks (torn or corrupt): <see cref="TryNext"/> stops before it.</summary>
    public bool Corrupt { get; private set; }

    /// <summary>The next complete, intact record (header included); false at the end of what is written, or at a bad record.</summary>
    public bool TryNext(out byte kind, out long sequence, out ReadOnlySpan<byte> record)
    {
        kind = 0;
        sequence = 0;
        record = default;
        Corrupt = false;
        if (!Ensure(HeaderSize))
        {
            return false;
        }

        var header = _buffer.AsSpan(_position, HeaderSize);
        kind = header[0];
        sequence = BinaryPrimitives.ReadInt64LittleEndian(header[1..]);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header[9..]);
        if (kind < 1 || length < 0 || length > 1 << 30)
        {
            Corrupt = true;
            return false;
        }

        if (!Ensure(HeaderSize + length))
        {
            Corrupt = RandomAccess.GetLength(file) >= Offset + HeaderSize + length; // there, yet unreadable: never
            return false;
        }

        record = _buffer.AsSpan(_position, HeaderSize + length);
        _crc.Append(record[..13]);
        _crc.Append(record[HeaderSize..]);
        var crc = _crc.GetCurrentHashAsUInt32();
        _crc.Reset();
        if (crc != BinaryPrimitives.ReadUInt32LittleEndian(record[13..]))
        {
            Corrupt = true;
            record = default;
            return false;
        }

        if (kind > NewestKind)
        {
            throw new InvalidDataException($"the record at offset {Offset} is of kind {kind}, which a newer version of Hub writes (this one reads kinds 1 to {NewestKind}); "
                + "the journal is left as it is: run the newer version to deliver it, or move the file away to start without it");
        }

        _position += record.Length;
        return true;
    }

    /// <summary>True when <paramref name="count"/> bytes from the current position are in the buffer (reading more as needed).</summary>
    private bool Ensure(int count)
    {
        if (_length - _position >= count)
        {
            return true;
        }

        // Keep what is left at the front, grow for a large record, then read on.
        var left = _length - _position;
        if (count > _buffer.Length)
        {
            var larger = new byte[Math.Max(count, _buffer.Length * 2)];
            _buffer.AsSpan(_position, left).CopyTo(larger);
            _buffer = larger;
        }
        else if (_position > 0)
        {
            _buffer.AsSpan(_position, left).CopyTo(_buffer);
        }

        _start += _position;
        _position = 0;
        _length = left;
        while (_length < count)
        {
            var read = RandomAccess.Read(file, _buffer.AsSpan(_length), _start + _length);
            if (read <= 0)
            {
                return false;
            }

            _length += read;
        }

        return true;
    }
}
