using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Session;

/// <summary>A packet waiting for the writer; <see cref="Written"/> (if any) learns whether it reached the socket.</summary>
internal readonly record struct OutgoingPacket(MqttPacket Packet, TaskCompletionSource<bool>? Written);
