namespace Hub.Mqtt.Packets;

/// <summary>UNSUBACK: the answer to UNSUBSCRIBE. MQTT 5.0 adds one reason code per filter, in order, and properties.</summary>
internal sealed record UnsubAckPacket(ushort PacketId) : MqttPacket
{
    public IReadOnlyList<byte> ReasonCodes { get; init; } = [];

    public MqttProperties Properties { get; init; } = MqttProperties.None;

    public override MqttPacketType Type => MqttPacketType.UnsubAck;

    public bool Equals(UnsubAckPacket? other) =>
        other is not null && PacketId == other.PacketId && ReasonCodes.SequenceEqual(other.ReasonCodes) && Properties.Equals(other.Properties);

    public override int GetHashCode() => HashCode.Combine(PacketId, ReasonCodes.Count);

    public override string ToString() =>
        $"UNSUBACK(id={PacketId}{(ReasonCodes.Count == 0 ? "" : $", codes=[{string.Join(", ", ReasonCodes.Select(c => $"0x{c:X2}"))}]")}{PacketText.Properties(Properties)})";
}
