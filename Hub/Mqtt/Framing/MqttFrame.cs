using System.Buffers;
using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Framing;

/// <summary>One whole packet cut from the byte stream: the first header byte and the body after the remaining length.</summary>
internal readonly record struct MqttFrame(byte Header, ReadOnlySequence<byte> Body)
{
    public MqttPacketType Type => (MqttPacketType)(Header >> 4);

    public int Flags => Header & 0x0F;
}
