using System.Buffers.Binary;

namespace Hub.Mqtt.Codec;

/// <summary>Sequential writer over a span that is known to be big enough.</summary>
internal ref struct MqttSpanWriter(Span<byte> span)
{
    private readonly Span<byte> _span = span;

    public int Position { get; private set; }

    public void WriteByte(byte value) => _span[Position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_span[Position..], value);
        Position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_span[Position..], value);
        Position += 4;
    }

    public void WriteRemainingLength(int value) => Position += Framing.RemainingLength.Write(_span[Position..], value);

    /// <summary>MQTT 5.0 Variable Byte Integer: the same encoding as the remaining length.</summary>
    public void WriteVariableByteInteger(int value) => WriteRemainingLength(value);

    /// <summary>A length-prefixed string whose byte count the caller already computed.</summary>
    public void WriteString(string value, int byteCount)
    {
        WriteUInt16((ushort)byteCount);
        Position += MqttStrings.Strict.GetBytes(value, _span.Slice(Position, byteCount));
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteUInt16((ushort)value.Length);
        WriteBytes(value);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_span[Position..]);
        Position += value.Length;
    }
}
