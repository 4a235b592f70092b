using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Framing;

/// <summary>
/// A received packet is malformed or breaks the protocol; the connection must be closed. In MQTT 5.0 the
/// DISCONNECT sent before closing carries <see cref="ReasonCode"/> (0x81 Malformed Packet or 0x82 Protocol Error).
/// </summary>
internal sealed class MqttProtocolException(string message, MqttReasonCode reasonCode = MqttReasonCode.MalformedPacket) : Exception(message)
{
    public MqttReasonCode ReasonCode { get; } = reasonCode;
}
