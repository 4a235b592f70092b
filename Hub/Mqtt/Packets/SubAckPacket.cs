namespace Hub.Mqtt.Packets;

/// <summary>SUBACK: one return code per requested filter, in order; 0x80 means that filter failed.</summary>
internal sealed record SubAckPacket(ushort PacketId, IReadOnlyList<byte> ReturnCodes) : MqttPacket
{
    public const byte Failure = 0x80;

    public override MqttPacketType Type => MqttPacketType.SubAck;

    public override string ToString() =>
        $"SUBACK(id={PacketId}, codes=[{string.Join(", ", ReturnCodes.Select(c => $"0x{c:X2}"))}])";
}
