using Hub.Mqtt.Packets;

namespace Hub.Broker;

/// <summary>
/// One published application message as the broker routes it: shared by every subscriber it goes to.
/// <see cref="Properties"/> are the 5.0 properties forwarded unchanged (no alias, no subscription ids, no expiry:
/// those are per delivery).
/// </summary>
internal sealed record BrokerMessage(
    string Topic,
    ReadOnlyMemory<byte> Payload,
    int Qos,
    bool Retain,
    MqttProperties Properties,
    string? PublisherId,
    DateTimeOffset? ExpiresAt)
{
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } at && now >= at;

    /// <summary>The Message Expiry Interval left, rounded up (null when the message never expires).</summary>
    public uint? RemainingExpiry(DateTimeOffset now) =>
        ExpiresAt is { } at ? (uint)Math.Max(1, Math.Ceiling((at - now).TotalSeconds)) : null;
}
