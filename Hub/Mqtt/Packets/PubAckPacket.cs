namespace Hub.Mqtt.Packets;

/// <summary>PUBACK: the QoS 1 acknowledgement.</summary>
internal sealed record PubAckPacket(ushort PacketId) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.PubAck;

    public override string ToString() => $"PUBACK(id={PacketId})";
}
