namespace Hub.Mqtt.Packets;

/// <summary>
/// DISCONNECT: end of the connection. 3.1.1 has no fields (<see cref="Instance"/> serves everywhere);
/// MQTT 5.0 adds a reason code and properties (session expiry, reason string, server reference, user properties)
/// and may be sent by the server too.
/// </summary>
internal sealed record DisconnectPacket : MqttPacket
{
    public static readonly DisconnectPacket Instance = new();

    public MqttReasonCode ReasonCode { get; init; }

    public MqttProperties Properties { get; init; } = MqttProperties.None;

    public override MqttPacketType Type => MqttPacketType.Disconnect;

    public override string ToString() =>
        ReasonCode == MqttReasonCode.Success && Properties.IsEmpty
            ? "DISCONNECT"
            : $"DISCONNECT(reason=0x{(byte)ReasonCode:X2} {MqttReasonCodes.Describe(Type, (byte)ReasonCode)}{PacketText.Properties(Properties)})";
}
