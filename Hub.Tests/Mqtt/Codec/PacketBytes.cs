using Hub.Mqtt;
using System.Buffers;
using Hub.Mqtt.Codec;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;

namespace Hub.Tests.Mqtt.Codec;

/// <summary>Encode to hex, decode from hex, through the framing layer as on the wire.</summary>
internal static class PacketBytes
{
    public static string Encode(IMqttPacketFormatter formatter, MqttPacket packet)
    {
        var output = new ArrayBufferWriter<byte>();
        formatter.Encode(packet, output);
        return Convert.ToHexString(output.WrittenSpan);
    }

    public static MqttPacket Decode(IMqttPacketFormatter formatter, string hex, int maxPacketSize = int.MaxValue)
    {
        var buffer = new ReadOnlySequence<byte>(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)));
        if (!MqttFrameReader.TryRead(ref buffer, maxPacketSize, out var frame))
        {
            throw new MqttProtocolException("Incomplete packet.");
        }

        Assert.True(buffer.IsEmpty, "bytes left after the packet");
        return formatter.Decode(frame);
    }
}
