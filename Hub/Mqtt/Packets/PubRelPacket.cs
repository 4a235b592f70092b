namespace Hub.Mqtt.Packets;

/// <summary>PUBREL: QoS 2, step 2: publish release. MQTT 5.0 adds a reason code and properties (reason string, user properties).</summary>
internal sealed record PubRelPacket(ushort PacketId) : MqttPacket
{
    public MqttReasonCode ReasonCode { get; init; }

    public MqttProperties Properties { get; init; } = MqttProperties.None;

    public override MqttPacketType Type => MqttPacketType.PubRel;

    public override string ToString() => $"PUBREL(id={PacketId}{PacketText.Reason(Type, ReasonCode)}{PacketText.Properties(Properties)})";
}
