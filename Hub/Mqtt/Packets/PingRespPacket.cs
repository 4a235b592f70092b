namespace Hub.Mqtt.Packets;

/// <summary>PINGRESP: keep-alive answer; it has no fields, so one instance serves everywhere.</summary>
internal sealed record PingRespPacket : MqttPacket
{
    public static readonly PingRespPacket Instance = new();

    public override MqttPacketType Type => MqttPacketType.PingResp;

    public override string ToString() => "PINGRESP";
}
