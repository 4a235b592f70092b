using System.Buffers;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Codec.V5;

/// <summary>MQTT 5.0 ("MQTT", level 5): every packet in both directions, properties and reason codes included.</summary>
internal sealed class MqttV5PacketFormatter : IMqttPacketFormatter
{
    public int ProtocolLevel => 5;

    public void Encode(MqttPacket packet, IBufferWriter<byte> output) => V5Encoder.Encode(packet, output);

    public MqttPacket Decode(in MqttFrame frame)
    {
        if (frame.Body.IsSingleSegment)
        {
            return V5Decoder.Decode(frame.Header, frame.Body.FirstSpan);
        }

        // A body split across pipe segments is rare (only at segment boundaries); one copy keeps the decoder simple.
        var length = (int)frame.Body.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            frame.Body.CopyTo(rented);
            return V5Decoder.Decode(frame.Header, rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
