namespace Hub.Mqtt.Packets;

/// <summary>UNSUBACK: the answer to UNSUBSCRIBE.</summary>
internal sealed record UnsubAckPacket(ushort PacketId) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.UnsubAck;

    public override string ToString() => $"UNSUBACK(id={PacketId})";
}
