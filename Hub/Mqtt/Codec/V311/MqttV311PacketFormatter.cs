using System.Buffers;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Codec.V311;

/// <summary>MQTT 3.1 (protocol "MQIsdp", level 3) and 3.1.1 ("MQTT", level 4); they share every packet layout.</summary>
internal sealed class MqttV311PacketFormatter : IMqttPacketFormatter
{
    public MqttV311PacketFormatter(int protocolLevel = 4)
    {
        if (protocolLevel is not (3 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(protocolLevel), protocolLevel, "MQTT 3.1 is level 3, MQTT 3.1.1 is level 4.");
        }

        ProtocolLevel = protocolLevel;
    }

    public int ProtocolLevel { get; }

    public void Encode(MqttPacket packet, IBufferWriter<byte> output) => V311Encoder.Encode(packet, ProtocolLevel, output);

    public MqttPacket Decode(in MqttFrame frame)
    {
        if (frame.Body.IsSingleSegment)
        {
            return V311Decoder.Decode(frame.Header, frame.Body.FirstSpan, ProtocolLevel);
        }

        // A body split across pipe segments is rare (only at segment boundaries); one copy keeps the decoder simple.
        var rented = ArrayPool<byte>.Shared.Rent((int)frame.Body.Length);
        try
        {
            frame.Body.CopyTo(rented);
            return V311Decoder.Decode(frame.Header, rented.AsSpan(0, (int)frame.Body.Length), ProtocolLevel);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The protocol name that goes with a level.</summary>
    public static string ProtocolName(int level) => level == 3 ? "MQIsdp" : "MQTT";
}
