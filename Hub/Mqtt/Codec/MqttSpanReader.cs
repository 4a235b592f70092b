using System.Buffers.Binary;
using Hub.Mqtt.Framing;

namespace Hub.Mqtt.Codec;

/// <summary>Sequential reader over a packet body; running off the end is a malformed packet.</summary>
internal ref struct MqttSpanReader(ReadOnlySpan<byte> span, string packetName)
{
    private readonly ReadOnlySpan<byte> _span = span;
    private readonly string _packetName = packetName;
    private int _position;

    public readonly int Remaining => _span.Length - _position;

    /// <summary>The packet (or part of it) being read, for error messages.</summary>
    public readonly string PacketName => _packetName;

    public byte ReadByte()
    {
        Need(1);
        return _span[_position++];
    }

    public ushort ReadUInt16()
    {
        Need(2);
        var value = BinaryPrimitives.ReadUInt16BigEndian(_span[_position..]);
        _position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        Need(4);
        var value = BinaryPrimitives.ReadUInt32BigEndian(_span[_position..]);
        _position += 4;
        return value;
    }

    /// <summary>A Variable Byte Integer (MQTT 5.0 §1.5.5): at most 4 bytes.</summary>
    public int ReadVariableByteInteger()
    {
        var value = 0;
        for (var i = 0; i < 4; i++)
        {
            var b = ReadByte();
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new MqttProtocolException($"Malformed {_packetName}: variable byte integer longer than 4 bytes.");
    }

    public ReadOnlySpan<byte> ReadBinary()
    {
        var length = ReadUInt16();
        return ReadBytes(length);
    }

    public string ReadString(string what) => MqttStrings.Decode(ReadBinary(), _packetName, what);

    public ReadOnlySpan<byte> ReadBytes(int length)
    {
        Need(length);
        var bytes = _span.Slice(_position, length);
        _position += length;
        return bytes;
    }

    public readonly void ExpectEnd()
    {
        if (Remaining != 0)
        {
            throw new MqttProtocolException($"Malformed {_packetName}: {Remaining} unexpected bytes at the end.");
        }
    }

    private readonly void Need(int count)
    {
        if (Remaining < count)
        {
            throw new MqttProtocolException($"Malformed {_packetName}: truncated.");
        }
    }
}
