namespace Hub.Mqtt.Packets;

/// <summary>PUBREC: QoS 2, step 1: publish received.</summary>
internal sealed record PubRecPacket(ushort PacketId) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.PubRec;

    public override string ToString() => $"PUBREC(id={PacketId})";
}
