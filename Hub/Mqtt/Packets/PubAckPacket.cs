namespace Hub.Mqtt.Packets;

/// <summary>PUBACK: the QoS 1 acknowledgement. MQTT 5.0 adds a reason code and properties (reason string, user properties).</summary>
internal sealed record PubAckPacket(ushort PacketId) : MqttPacket
{
    public MqttReasonCode ReasonCode { get; init; }

    public MqttProperties Properties { get; init; } = MqttProperties.None;

    public override MqttPacketType Type => MqttPacketType.PubAck;

    public override string ToString() => $"PUBACK(id={PacketId}{PacketText.Reason(Type, ReasonCode)}{PacketText.Properties(Properties)})";
}
