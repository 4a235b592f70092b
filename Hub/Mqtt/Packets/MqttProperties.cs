using System.Text;

namespace Hub.Mqtt.Packets;

/// <summary>
/// The MQTT 5.0 properties of one packet (§2.2.2.2); null means absent. Which ones a packet may carry
/// is checked by the 5.0 formatter. Equality compares contents (binary data and lists included).
/// </summary>
internal sealed record MqttProperties
{
    /// <summary>No properties: what every 3.1.1 packet and most 5.0 packets carry.</summary>
    public static readonly MqttProperties None = new();

    /// <summary>0x01, PUBLISH and Will: 0 = unspecified bytes, 1 = UTF-8 text.</summary>
    public byte? PayloadFormatIndicator { get; init; }

    /// <summary>0x02, PUBLISH and Will: lifetime of the message in seconds.</summary>
    public uint? MessageExpiryInterval { get; init; }

    /// <summary>0x03, PUBLISH and Will.</summary>
    public string? ContentType { get; init; }

    /// <summary>0x08, PUBLISH and Will: the topic for a response (request/response pattern).</summary>
    public string? ResponseTopic { get; init; }

    /// <summary>0x09, PUBLISH and Will.</summary>
    public ReadOnlyMemory<byte>? CorrelationData { get; init; }

    /// <summary>0x0B: at most one in SUBSCRIBE; in a PUBLISH from the server one per matching subscription. 1…268,435,455.</summary>
    public IReadOnlyList<int> SubscriptionIdentifiers { get; init; } = [];

    /// <summary>0x11, CONNECT, CONNACK, DISCONNECT: seconds; 0xFFFFFFFF never expires.</summary>
    public uint? SessionExpiryInterval { get; init; }

    /// <summary>0x12, CONNACK: the client id the server chose for an empty one.</summary>
    public string? AssignedClientIdentifier { get; init; }

    /// <summary>0x13, CONNACK: the keep-alive the client must use instead of its own.</summary>
    public ushort? ServerKeepAlive { get; init; }

    /// <summary>0x15, CONNECT, CONNACK, AUTH.</summary>
    public string? AuthenticationMethod { get; init; }

    /// <summary>0x16, CONNECT, CONNACK, AUTH; never written to a log.</summary>
    public ReadOnlyMemory<byte>? AuthenticationData { get; init; }

    /// <summary>0x17, CONNECT.</summary>
    public bool? RequestProblemInformation { get; init; }

    /// <summary>0x18, Will: seconds the server waits before publishing the Will.</summary>
    public uint? WillDelayInterval { get; init; }

    /// <summary>0x19, CONNECT.</summary>
    public bool? RequestResponseInformation { get; init; }

    /// <summary>0x1A, CONNACK.</summary>
    public string? ResponseInformation { get; init; }

    /// <summary>0x1C, CONNACK, DISCONNECT: another server to use.</summary>
    public string? ServerReference { get; init; }

    /// <summary>0x1F, every acknowledgement, DISCONNECT and AUTH: a human-readable reason.</summary>
    public string? ReasonString { get; init; }

    /// <summary>0x21, CONNECT, CONNACK: how many QoS 1/2 PUBLISHes the sender accepts unacknowledged (1…65535).</summary>
    public ushort? ReceiveMaximum { get; init; }

    /// <summary>0x22, CONNECT, CONNACK: the highest topic alias the sender accepts.</summary>
    public ushort? TopicAliasMaximum { get; init; }

    /// <summary>0x23, PUBLISH: 1…Topic Alias Maximum.</summary>
    public ushort? TopicAlias { get; init; }

    /// <summary>0x24, CONNACK: 0 or 1 (absent means 2).</summary>
    public byte? MaximumQos { get; init; }

    /// <summary>0x25, CONNACK.</summary>
    public bool? RetainAvailable { get; init; }

    /// <summary>0x26, every packet with properties and the Will: ordered, names may repeat.</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];

    /// <summary>0x27, CONNECT, CONNACK: the largest packet the sender accepts, in bytes.</summary>
    public uint? MaximumPacketSize { get; init; }

    /// <summary>0x28, CONNACK.</summary>
    public bool? WildcardSubscriptionAvailable { get; init; }

    /// <summary>0x29, CONNACK.</summary>
    public bool? SubscriptionIdentifiersAvailable { get; init; }

    /// <summary>0x2A, CONNACK.</summary>
    public bool? SharedSubscriptionAvailable { get; init; }

    /// <summary>True when no property is present.</summary>
    public bool IsEmpty => Equals(None);

    public bool Equals(MqttProperties? other) =>
        other is not null &&
        PayloadFormatIndicator == other.PayloadFormatIndicator &&
        MessageExpiryInterval == other.MessageExpiryInterval &&
        ContentType == other.ContentType &&
        ResponseTopic == other.ResponseTopic &&
        SameBytes(CorrelationData, other.CorrelationData) &&
        SubscriptionIdentifiers.SequenceEqual(other.SubscriptionIdentifiers) &&
        SessionExpiryInterval == other.SessionExpiryInterval &&
        AssignedClientIdentifier == other.AssignedClientIdentifier &&
        ServerKeepAlive == other.ServerKeepAlive &&
        AuthenticationMethod == other.AuthenticationMethod &&
        SameBytes(AuthenticationData, other.AuthenticationData) &&
        RequestProblemInformation == other.RequestProblemInformation &&
        WillDelayInterval == other.WillDelayInterval &&
        RequestResponseInformation == other.RequestResponseInformation &&
        ResponseInformation == other.ResponseInformation &&
        ServerReference == other.ServerReference &&
        ReasonString == other.ReasonString &&
        ReceiveMaximum == other.ReceiveMaximum &&
        TopicAliasMaximum == other.TopicAliasMaximum &&
        TopicAlias == other.TopicAlias &&
        MaximumQos == other.MaximumQos &&
        RetainAvailable == other.RetainAvailable &&
        UserProperties.SequenceEqual(other.UserProperties) &&
        MaximumPacketSize == other.MaximumPacketSize &&
        WildcardSubscriptionAvailable == other.WildcardSubscriptionAvailable &&
        SubscriptionIdentifiersAvailable == other.SubscriptionIdentifiersAvailable &&
        SharedSubscriptionAvailable == other.SharedSubscriptionAvailable;

    // Hashes a few discriminating members only; Equals decides.
    public override int GetHashCode() =>
        HashCode.Combine(SessionExpiryInterval, ReasonString, ContentType, TopicAlias, SubscriptionIdentifiers.Count, UserProperties.Count);

    /// <summary>Present properties only, e.g. <c>{sessionExpiry=60, user=[a=b]}</c>; authentication data shows its length only.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                text.Append(text.Length == 0 ? "{" : ", ").Append(name).Append('=').Append(value);
            }
        }

        Add("payloadFormat", PayloadFormatIndicator);
        Add("messageExpiry", MessageExpiryInterval);
        Add("contentType", ContentType);
        Add("responseTopic", ResponseTopic);
        Add("correlationData", CorrelationData is { } correlation ? Convert.ToHexString(correlation.Span) : null);
        Add("subscriptionIds", SubscriptionIdentifiers.Count == 0 ? null : string.Join('+', SubscriptionIdentifiers));
        Add("sessionExpiry", SessionExpiryInterval);
        Add("assignedClientId", AssignedClientIdentifier);
        Add("serverKeepAlive", ServerKeepAlive);
        Add("authMethod", AuthenticationMethod);
        Add("authData", AuthenticationData is { } auth ? $"{auth.Length} bytes" : null);
        Add("requestProblemInfo", RequestProblemInformation);
        Add("willDelay", WillDelayInterval);
        Add("requestResponseInfo", RequestResponseInformation);
        Add("responseInfo", ResponseInformation);
        Add("serverReference", ServerReference);
        Add("reason", ReasonString);
        Add("receiveMaximum", ReceiveMaximum);
        Add("topicAliasMaximum", TopicAliasMaximum);
        Add("topicAlias", TopicAlias);
        Add("maximumQos", MaximumQos);
        Add("retainAvailable", RetainAvailable);
        Add("user", UserProperties.Count == 0 ? null : $"[{string.Join(", ", UserProperties.Select(p => $"{p.Name}={p.Value}"))}]");
        Add("maximumPacketSize", MaximumPacketSize);
        Add("wildcardAvailable", WildcardSubscriptionAvailable);
        Add("subscriptionIdsAvailable", SubscriptionIdentifiersAvailable);
        Add("sharedAvailable", SharedSubscriptionAvailable);
        return text.Length == 0 ? "{}" : text.Append('}').ToString();
    }

    private static bool SameBytes(ReadOnlyMemory<byte>? a, ReadOnlyMemory<byte>? b) =>
        a is null ? b is null : b is not null && a.Value.Span.SequenceEqual(b.Value.Span);
}
