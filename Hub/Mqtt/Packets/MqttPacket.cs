namespace Hub.Mqtt.Packets;

/// <summary>One MQTT control packet, independent of the protocol version it travels in.</summary>
internal abstract record MqttPacket
{
    public abstract MqttPacketType Type { get; }
}
