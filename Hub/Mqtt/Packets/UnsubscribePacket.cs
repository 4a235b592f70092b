namespace Hub.Mqtt.Packets;

/// <summary>UNSUBSCRIBE: one or more topic filters to drop.</summary>
internal sealed record UnsubscribePacket(ushort PacketId, IReadOnlyList<string> Filters) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;

    public override string ToString() => $"UNSUBSCRIBE(id={PacketId}, {string.Join(", ", Filters)})";
}
