namespace Hub.Mqtt.Packets;

/// <summary>UNSUBSCRIBE: one or more topic filters to drop; MQTT 5.0 adds properties (user properties only).</summary>
internal sealed record UnsubscribePacket(ushort PacketId, IReadOnlyList<string> Filters) : MqttPacket
{
    public MqttProperties Properties { get; init; } = MqttProperties.None;

    public override MqttPacketType Type => MqttPacketType.Unsubscribe;

    public bool Equals(UnsubscribePacket? other) =>
        other is not null && PacketId == other.PacketId && Filters.SequenceEqual(other.Filters) && Properties.Equals(other.Properties);

    public override int GetHashCode() => HashCode.Combine(PacketId, Filters.Count);

    public override string ToString() => $"UNSUBSCRIBE(id={PacketId}, {string.Join(", ", Filters)}{PacketText.Properties(Properties)})";
}
