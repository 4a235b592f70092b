namespace Hub.Mqtt.Packets;

/// <summary>PUBLISH: an application message; <see cref="PacketId"/> is 0 for QoS 0.</summary>
internal sealed record PublishPacket(MqttApplicationMessage Message, ushort PacketId = 0) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Publish;

    public override string ToString() =>
        $"PUBLISH(id={PacketId}, topic={Message.Topic}, qos={Message.Qos}, retain={Message.Retain}, dup={Message.Dup}, {Message.Payload.Length} bytes)";
}
