namespace Hub.Mqtt.Session;

/// <summary>What one network connection needs to know after CONNACK.</summary>
internal sealed record MqttConnectionSettings(TimeSpan KeepAlive, TimeSpan PingTimeout, int MaxPacketSize, int InboundCapacity = 1024);
