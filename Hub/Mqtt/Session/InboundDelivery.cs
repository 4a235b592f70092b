using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Session;

/// <summary>
/// A received PUBLISH on its way to the handler; <see cref="Deliver"/> is false for a repeated QoS 2 PUBLISH that only
/// needs its PUBREC again. <see cref="Routing"/> is set when the reader already called the handler and it did not finish
/// at once: the dispatcher waits for that call instead of making it.
/// </summary>
internal readonly record struct InboundDelivery(PublishPacket Packet, bool Deliver, Task<Task>? Routing = null);
