namespace Hub.Mqtt.Codec.V5;

/// <summary>Where a property list sits: a packet (same numbers as <see cref="Packets.MqttPacketType"/>) or the Will inside CONNECT.</summary>
internal enum V5PropertyScope
{
    Connect = 1,
    ConnAck = 2,
    Publish = 3,
    PubAck = 4,
    PubRec = 5,
    PubRel = 6,
    PubComp = 7,
    Subscribe = 8,
    SubAck = 9,
    Unsubscribe = 10,
    UnsubAck = 11,
    Disconnect = 14,
    Auth = 15,
    Will = 16,
}
