using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Session;

/// <summary>A received QoS 1/2 PUBLISH whose acknowledgement waits for <see cref="Accepted"/>; or, with
/// <see cref="Flushed"/> set, a marker completed once every acknowledgement before it was queued.</summary>
internal readonly record struct PendingAck(PublishPacket? Packet, Task Accepted, TaskCompletionSource? Flushed);
