using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Session;

/// <summary>A received PUBLISH on its way to the handler; <see cref="Deliver"/> is false for a repeated QoS 2 PUBLISH that only needs its PUBREC again.</summary>
internal readonly record struct InboundDelivery(PublishPacket Packet, bool Deliver);
