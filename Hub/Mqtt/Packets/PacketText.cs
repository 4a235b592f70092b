namespace Hub.Mqtt.Packets;

/// <summary>The MQTT 5.0 parts of a packet's log line; empty when they hold their defaults, so 3.1.1 lines stay short.</summary>
internal static class PacketText
{
    public static string Reason(MqttPacketType packet, MqttReasonCode code) =>
        code == MqttReasonCode.Success ? "" : $", reason=0x{(byte)code:X2} {MqttReasonCodes.Describe(packet, (byte)code)}";

    public static string Properties(MqttProperties properties, string name = "props") =>
        properties.IsEmpty ? "" : $", {name}={properties}";
}
