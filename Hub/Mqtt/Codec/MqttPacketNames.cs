using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Codec;

/// <summary>Packet type names as error messages spell them (<c>PUBLISH</c>), made once, not per packet decoded.</summary>
internal static class MqttPacketNames
{
    private static readonly string[] Names = Enumerable.Range(0, 16).Select(i => ((MqttPacketType)i).ToString().ToUpperInvariant()).ToArray();

    public static string Upper(MqttPacketType type) => Names[(int)type & 15];
}
