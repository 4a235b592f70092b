namespace Hub.Mqtt.Packets;

/// <summary>AUTH (MQTT 5.0 only): one step of an extended authentication exchange, in either direction.</summary>
internal sealed record AuthPacket(MqttReasonCode ReasonCode = MqttReasonCode.Success) : MqttPacket
{
    public MqttProperties Properties { get; init; } = MqttProperties.None;

    public override MqttPacketType Type => MqttPacketType.Auth;

    public override string ToString() =>
        $"AUTH(reason=0x{(byte)ReasonCode:X2} {MqttReasonCodes.Describe(Type, (byte)ReasonCode)}{PacketText.Properties(Properties)})";
}
