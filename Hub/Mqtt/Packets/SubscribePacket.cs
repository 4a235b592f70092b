namespace Hub.Mqtt.Packets;

/// <summary>SUBSCRIBE: one or more topic filters with their requested QoS.</summary>
internal sealed record SubscribePacket(ushort PacketId, IReadOnlyList<MqttSubscription> Subscriptions) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Subscribe;

    public override string ToString() =>
        $"SUBSCRIBE(id={PacketId}, {string.Join(", ", Subscriptions.Select(s => $"{s.Filter} qos={s.Qos}"))})";
}
