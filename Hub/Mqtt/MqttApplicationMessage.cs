namespace Hub.Mqtt;

/// <summary>An application message as received or to be sent.</summary>
public sealed record MqttApplicationMessage(string Topic, ReadOnlyMemory<byte> Payload, int Qos = 0, bool Retain = false)
{
    public bool Dup { get; init; }

    /// <summary>MQTT 5.0 properties (expiry, content type, response topic, correlation data, user properties); null = none.</summary>
    public MqttMessageProperties? Properties { get; init; }
}
