namespace Hub.Mqtt.Packets;

/// <summary>
/// CONNACK: the broker's answer to CONNECT. 3.1.1: return code 0 means accepted, 1–5 refused;
/// MQTT 5.0: <see cref="ReturnCode"/> holds the reason code (≥ 0x80 refused) and <see cref="Properties"/>
/// the server's limits and assignments.
/// </summary>
internal sealed record ConnAckPacket(bool SessionPresent, byte ReturnCode) : MqttPacket
{
    public MqttProperties Properties { get; init; } = MqttProperties.None;

    public override MqttPacketType Type => MqttPacketType.ConnAck;

    public override string ToString() =>
        $"CONNACK(sessionPresent={SessionPresent}, returnCode={ReturnCode}{PacketText.Properties(Properties)})";
}
