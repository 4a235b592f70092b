using Hub.Mqtt.Formatting.V311;

namespace Hub.Mqtt.Formatting;

/// <summary>Picks the formatter for a protocol level.</summary>
internal static class MqttPacketFormatters
{
    public static IMqttPacketFormatter For(int protocolLevel) => protocolLevel switch
    {
        3 or 4 => new MqttV311PacketFormatter(protocolLevel),
        _ => throw new ArgumentOutOfRangeException(nameof(protocolLevel), protocolLevel, "Supported protocol levels: 3 (MQTT 3.1) and 4 (MQTT 3.1.1)."),
    };
}
