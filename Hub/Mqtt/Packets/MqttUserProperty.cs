namespace Hub.Mqtt.Packets;

/// <summary>One MQTT 5.0 User Property: a name/value string pair; a packet may repeat names, and order matters.</summary>
internal readonly record struct MqttUserProperty(string Name, string Value);
