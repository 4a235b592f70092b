namespace Hub.Mqtt.Packets;

/// <summary>PUBCOMP: QoS 2, step 3: publish complete. MQTT 5.0 adds a reason code and properties (reason string, user properties).</summary>
internal sealed record PubCompPacket(ushort PacketId) : MqttPacket
{
    public MqttReasonCode ReasonCode { get; init; }

    public MqttProperties Properties { get; init; } = MqttProperties.None;

    public override MqttPacketType Type => MqttPacketType.PubComp;

    public override string ToString() => $"PUBCOMP(id={PacketId}{PacketText.Reason(Type, ReasonCode)}{PacketText.Properties(Properties)})";
}
