namespace Hub.Mqtt.Packets;

/// <summary>CONNECT: the first packet of every network connection.</summary>
internal sealed record ConnectPacket(
    int ProtocolLevel,
    string ClientId,
    ushort KeepAliveSeconds,
    bool CleanSession,
    string? Username = null,
    string? Password = null,
    MqttWill? Will = null) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Connect;

    // The password never reaches a log.
    public override string ToString() =>
        $"CONNECT(level={ProtocolLevel}, clientId={ClientId}, keepAlive={KeepAliveSeconds}s, clean={CleanSession}, " +
        $"user={Username ?? "-"}, password={(Password is null ? "-" : "***")}, will={(Will is null ? "-" : $"{Will.Topic} qos={Will.Qos} retain={Will.Retain} {Will.Payload.Length} bytes")})";
}
