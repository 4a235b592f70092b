namespace Hub.Mqtt.Packets;

/// <summary>DISCONNECT: clean end of the connection; it has no fields, so one instance serves everywhere.</summary>
internal sealed record DisconnectPacket : MqttPacket
{
    public static readonly DisconnectPacket Instance = new();

    public override MqttPacketType Type => MqttPacketType.Disconnect;

    public override string ToString() => "DISCONNECT";
}
