namespace Hub.Mqtt.Packets;

/// <summary>PUBREC: QoS 2, step 1: publish received. MQTT 5.0 adds a reason code and properties (reason string, user properties).</summary>
internal sealed record PubRecPacket(ushort PacketId) : MqttPacket
{
    public MqttReasonCode ReasonCode { get; init; }

    public MqttProperties Properties { get; init; } = MqttProperties.None;

    public override MqttPacketType Type => MqttPacketType.PubRec;

    public override string ToString() => $"PUBREC(id={PacketId}{PacketText.Reason(Type, ReasonCode)}{PacketText.Properties(Properties)})";
}
