namespace Hub.Mqtt;

/// <summary>An application message as received or to be sent.</summary>
public sealed record MqttApplicationMessage(string Topic, ReadOnlyMemory<byte> Payload, int Qos = 0, bool Retain = false)
{
    public bool Dup { get; init; }
}
