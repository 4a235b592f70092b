namespace Hub.Mqtt.Packets;

/// <summary>
/// CONNECT: the first packet of every network connection. MQTT 5.0 adds <see cref="Properties"/>
/// and <see cref="WillProperties"/> and allows a password without a user name.
/// </summary>
internal sealed record ConnectPacket(
    int ProtocolLevel,
    string ClientId,
    ushort KeepAliveSeconds,
    bool CleanSession,
    string? Username = null,
    string? Password = null,
    MqttWill? Will = null) : MqttPacket
{
    public MqttProperties Properties { get; init; } = MqttProperties.None;

    /// <summary>Properties of the Will message (delay, expiry, content type, …); only sent with a Will.</summary>
    public MqttProperties WillProperties { get; init; } = MqttProperties.None;

    public override MqttPacketType Type => MqttPacketType.Connect;

    // The password never reaches a log.
    public override string ToString() =>
        $"CONNECT(level={ProtocolLevel}, clientId={ClientId}, keepAlive={KeepAliveSeconds}s, clean={CleanSession}, " +
        $"user={Username ?? "-"}, password={(Password is null ? "-" : "***")}, will={(Will is null ? "-" : $"{Will.Topic} qos={Will.Qos} retain={Will.Retain} {Will.Payload.Length} bytes")}" +
        $"{PacketText.Properties(Properties)}{PacketText.Properties(WillProperties, "willProps")})";
}
