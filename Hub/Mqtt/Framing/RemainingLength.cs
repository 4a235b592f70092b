using System.Buffers;

namespace Hub.Mqtt.Framing;

/// <summary>The Remaining Length (Variable Byte Integer): 1–4 bytes, 7 bits each, least significant group first.</summary>
internal static class RemainingLength
{
    public const int Max = 268_435_455;

    public static int GetSize(int value) => value switch
    {
        < 0 or > Max => throw new ArgumentOutOfRangeException(nameof(value), value, "Remaining length out of range."),
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };

    /// <summary>Writes the minimal encoding; returns the number of bytes written.</summary>
    public static int Write(Span<byte> destination, int value)
    {
        var size = GetSize(value);
        for (var i = 0; i < size; i++)
        {
            var digit = (byte)(value & 0x7F);
            value >>= 7;
            destination[i] = i < size - 1 ? (byte)(digit | 0x80) : digit;
        }

        return size;
    }

    /// <summary>Reads a remaining length; false when more bytes are needed. A fifth byte is malformed.</summary>
    public static bool TryRead(ref SequenceReader<byte> reader, out int value)
    {
        value = 0;
        for (var i = 0; i < 4; i++)
        {
            if (!reader.TryRead(out var b))
            {
                return false;
            }

            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        throw new MqttProtocolException("Malformed remaining length: more than 4 bytes.");
    }
}
