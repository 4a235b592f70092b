namespace Hub.Mqtt.Packets;

/// <summary>PUBREL: QoS 2, step 2: publish release.</summary>
internal sealed record PubRelPacket(ushort PacketId) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.PubRel;

    public override string ToString() => $"PUBREL(id={PacketId})";
}
