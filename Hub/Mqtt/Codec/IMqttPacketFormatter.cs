using System.Buffers;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Codec;

/// <summary>Turns packets into bytes and frames into packets for one protocol version.</summary>
internal interface IMqttPacketFormatter
{
    /// <summary>The protocol level on the wire (3 = MQTT 3.1, 4 = 3.1.1, 5 = 5.0).</summary>
    int ProtocolLevel { get; }

    /// <summary>Writes the whole packet (fixed header included) as one contiguous block.</summary>
    void Encode(MqttPacket packet, IBufferWriter<byte> output);

    /// <summary>Decodes one frame; throws <see cref="MqttProtocolException"/> if it is malformed.</summary>
    MqttPacket Decode(in MqttFrame frame);
}
