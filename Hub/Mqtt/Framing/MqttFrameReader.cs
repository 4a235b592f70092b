using System.Buffers;
using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Framing;

/// <summary>
/// Cuts whole packets from a byte stream that may split or merge them arbitrarily. Checks the
/// fixed-header flags and the size limit before the body is buffered, so an oversized announcement
/// never makes anyone allocate it.
/// </summary>
internal static class MqttFrameReader
{
    /// <summary>
    /// Takes one frame from the front of <paramref name="buffer"/> (which then starts after it).
    /// False (buffer untouched) when the frame is incomplete; throws <see cref="MqttProtocolException"/> when malformed.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxPacketSize, out MqttFrame frame)
    {
        frame = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out var header))
        {
            return false;
        }

        if (!RemainingLength.TryRead(ref reader, out var length))
        {
            return false;
        }

        ValidateFlags(header);
        var total = reader.Consumed + (long)length;
        if (total > maxPacketSize)
        {
            throw new MqttProtocolException($"Packet of {total} bytes exceeds the maximum packet size {maxPacketSize}.", MqttReasonCode.PacketTooLarge);
        }

        if (reader.Remaining < length)
        {
            return false;
        }

        var body = buffer.Slice(reader.Position, length);
        frame = new MqttFrame(header, body);
        buffer = buffer.Slice(body.End);
        return true;
    }

    /// <summary>The reserved flag bits of the fixed header, identical in 3.1.1 and 5.0.</summary>
    public static void ValidateFlags(byte header)
    {
        var type = (MqttPacketType)(header >> 4);
        var flags = header & 0x0F;
        switch (type)
        {
            case MqttPacketType.Publish:
                if ((flags & 0x06) == 0x06)
                {
                    throw new MqttProtocolException("Malformed PUBLISH: QoS 3.");
                }

                break;
            case MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe:
                if (flags != 0x02)
                {
                    throw new MqttProtocolException($"Malformed {type}: fixed-header flags 0x{flags:X} instead of 0x2.");
                }

                break;
            case >= MqttPacketType.Connect and <= MqttPacketType.Auth:
                if (flags != 0)
                {
                    throw new MqttProtocolException($"Malformed {type}: fixed-header flags 0x{flags:X} instead of 0x0.");
                }

                break;
            default:
                throw new MqttProtocolException($"Malformed packet: reserved packet type {(int)type}.");
        }
    }
}
