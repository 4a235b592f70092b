namespace Hub.Mqtt.Framing;

/// <summary>A received packet is malformed or breaks the protocol; the connection must be closed.</summary>
internal sealed class MqttProtocolException(string message) : Exception(message);
