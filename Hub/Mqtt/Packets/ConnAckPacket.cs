namespace Hub.Mqtt.Packets;

/// <summary>CONNACK: the broker's answer to CONNECT; return code 0 means accepted.</summary>
internal sealed record ConnAckPacket(bool SessionPresent, byte ReturnCode) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.ConnAck;

    public override string ToString() => $"CONNACK(sessionPresent={SessionPresent}, returnCode={ReturnCode})";
}
