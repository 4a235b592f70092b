namespace Hub.Mqtt.Packets;

/// <summary>PUBCOMP: QoS 2, step 3: publish complete.</summary>
internal sealed record PubCompPacket(ushort PacketId) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.PubComp;

    public override string ToString() => $"PUBCOMP(id={PacketId})";
}
