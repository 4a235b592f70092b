namespace Hub.Mqtt.Packets;

/// <summary>PINGREQ: keep-alive probe; it has no fields, so one instance serves everywhere.</summary>
internal sealed record PingReqPacket : MqttPacket
{
    public static readonly PingReqPacket Instance = new();

    public override MqttPacketType Type => MqttPacketType.PingReq;

    public override string ToString() => "PINGREQ";
}
