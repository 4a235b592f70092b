namespace Hub.Mqtt.Packets;

/// <summary>
/// SUBSCRIBE: one or more topic filters with their requested QoS (MQTT 5.0: and the other subscription
/// options of <see cref="MqttSubscription"/>) and, in 5.0, properties (subscription identifier, user properties).
/// </summary>
internal sealed record SubscribePacket(ushort PacketId, IReadOnlyList<MqttSubscription> Subscriptions) : MqttPacket
{
    public MqttProperties Properties { get; init; } = MqttProperties.None;

    public override MqttPacketType Type => MqttPacketType.Subscribe;

    public bool Equals(SubscribePacket? other) =>
        other is not null && PacketId == other.PacketId && Subscriptions.SequenceEqual(other.Subscriptions) && Properties.Equals(other.Properties);

    public override int GetHashCode() => HashCode.Combine(PacketId, Subscriptions.Count);

    public override string ToString() =>
        $"SUBSCRIBE(id={PacketId}, {string.Join(", ", Subscriptions)}{PacketText.Properties(Properties)})";
}
