namespace Hub.Mqtt.Packets;

/// <summary>
/// PUBLISH: an application message; <see cref="PacketId"/> is 0 for QoS 0. MQTT 5.0 adds properties
/// (expiry, content type, response topic, correlation data, topic alias, subscription identifiers, user properties).
/// </summary>
internal sealed record PublishPacket(MqttApplicationMessage Message, ushort PacketId = 0) : MqttPacket
{
    public MqttProperties Properties { get; init; } = MqttProperties.None;

    public override MqttPacketType Type => MqttPacketType.Publish;

    public override string ToString() =>
        $"PUBLISH(id={PacketId}, topic={Message.Topic}, qos={Message.Qos}, retain={Message.Retain}, dup={Message.Dup}, {Message.Payload.Length} bytes{PacketText.Properties(Properties)})";
}
