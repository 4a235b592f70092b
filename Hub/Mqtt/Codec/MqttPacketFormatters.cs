using Hub.Mqtt.Codec.V311;
using Hub.Mqtt.Codec.V5;

namespace Hub.Mqtt.Codec;

/// <summary>Picks the formatter for a protocol level.</summary>
internal static class MqttPacketFormatters
{
    public static IMqttPacketFormatter For(int protocolLevel) => protocolLevel switch
    {
        3 or 4 => new MqttV311PacketFormatter(protocolLevel),
        5 => new MqttV5PacketFormatter(),
        _ => throw new ArgumentOutOfRangeException(nameof(protocolLevel), protocolLevel, "Supported protocol levels: 3 (MQTT 3.1), 4 (MQTT 3.1.1) and 5 (MQTT 5.0)."),
    };
}
