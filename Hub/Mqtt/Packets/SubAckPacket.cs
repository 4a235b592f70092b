namespace Hub.Mqtt.Packets;

/// <summary>
/// SUBACK: one code per requested filter, in order. 3.1.1: granted QoS or 0x80 (failure);
/// MQTT 5.0: a reason code (≥ 0x80 means that filter failed) and properties.
/// </summary>
internal sealed record SubAckPacket(ushort PacketId, IReadOnlyList<byte> ReturnCodes) : MqttPacket
{
    public const byte Failure = 0x80;

    public MqttProperties Properties { get; init; } = MqttProperties.None;

    public override MqttPacketType Type => MqttPacketType.SubAck;

    public bool Equals(SubAckPacket? other) =>
        other is not null && PacketId == other.PacketId && ReturnCodes.SequenceEqual(other.ReturnCodes) && Properties.Equals(other.Properties);

    public override int GetHashCode() => HashCode.Combine(PacketId, ReturnCodes.Count);

    public override string ToString() =>
        $"SUBACK(id={PacketId}, codes=[{string.Join(", ", ReturnCodes.Select(c => $"0x{c:X2}"))}]{PacketText.Properties(Properties)})";
}
