using System.Buffers.Binary;

namespace Hub.Tests.Support;

/// <summary>Journal records framed as every version of the journal frames them, for files of other versions.</summary>
public static class JournalRecords
{
    /// <summary>Kind, sequence, length, CRC-32 of those and the payload, then the payload.</summary>
    public static void Write(Stream into, byte kind, long sequence, byte[] payload)
    {
        var header = new byte[Hub.Delivery.JournalScanner.HeaderSize];
        header[0] = kind;
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(1), sequence);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(9), payload.Length);
        var crc = new System.IO.Hashing.Crc32();
        crc.Append(header.AsSpan(0, 13));
        crc.Append(payload);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(13), crc.GetCurrentHashAsUInt32());
        into.Write(header);
        into.Write(payload);
    }
}
