using Hub.Mqtt.Packets;

namespace Hub.Mqtt;

/// <summary>
/// The MQTT 5.0 properties an application message carries end to end (§3.3.2.3); 3.1.1 has none.
/// Null means absent.
/// </summary>
public sealed record MqttMessageProperties
{
    /// <summary>No properties.</summary>
    public static readonly MqttMessageProperties None = new();

    /// <summary>0 = unspecified bytes, 1 = UTF-8 text.</summary>
    public byte? PayloadFormatIndicator { get; init; }

    /// <summary>Lifetime of the message in seconds (as received: what is left of it).</summary>
    public uint? MessageExpiryInterval { get; init; }

    public string? ContentType { get; init; }

    /// <summary>Where a response should go (request/response pattern).</summary>
    public string? ResponseTopic { get; init; }

    public ReadOnlyMemory<byte>? CorrelationData { get; init; }

    /// <summary>Name/value pairs in order; names may repeat.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> UserProperties { get; init; } = [];

    /// <summary>Received only: the identifiers of the subscriptions that matched.</summary>
    public IReadOnlyList<int> SubscriptionIdentifiers { get; init; } = [];

    public bool IsEmpty =>
        PayloadFormatIndicator is null && MessageExpiryInterval is null && ContentType is null && ResponseTopic is null
        && CorrelationData is null && UserProperties.Count == 0 && SubscriptionIdentifiers.Count == 0;

    public bool Equals(MqttMessageProperties? other) => other is not null && ToPacket(this).Equals(ToPacket(other)) && SubscriptionIdentifiers.SequenceEqual(other.SubscriptionIdentifiers);

    public override int GetHashCode() => HashCode.Combine(ContentType, ResponseTopic, MessageExpiryInterval, UserProperties.Count);

    public override string ToString() => ToPacket(this).ToString();

    /// <summary>The application-message properties of a received PUBLISH; null when it has none.</summary>
    internal static MqttMessageProperties? From(MqttProperties p)
    {
        if (ReferenceEquals(p, MqttProperties.None))
        {
            return null;
        }

        var properties = new MqttMessageProperties
        {
            PayloadFormatIndicator = p.PayloadFormatIndicator,
            MessageExpiryInterval = p.MessageExpiryInterval,
            ContentType = p.ContentType,
            ResponseTopic = p.ResponseTopic,
            CorrelationData = p.CorrelationData,
            UserProperties = p.UserProperties.Count == 0 ? [] : p.UserProperties.Select(u => KeyValuePair.Create(u.Name, u.Value)).ToList(),
            SubscriptionIdentifiers = p.SubscriptionIdentifiers,
        };
        return properties.IsEmpty ? null : properties;
    }

    /// <summary>The PUBLISH properties to send (never a subscription identifier: a client must not send one, §3.3.4).</summary>
    internal static MqttProperties ToPacket(MqttMessageProperties? p) => p is null || p.IsEmpty ? MqttProperties.None : new MqttProperties
    {
        PayloadFormatIndicator = p.PayloadFormatIndicator,
        MessageExpiryInterval = p.MessageExpiryInterval,
        ContentType = p.ContentType,
        ResponseTopic = p.ResponseTopic,
        CorrelationData = p.CorrelationData,
        UserProperties = p.UserProperties.Count == 0 ? [] : p.UserProperties.Select(u => new MqttUserProperty(u.Key, u.Value)).ToList(),
    };
}
