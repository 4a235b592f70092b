using static Hub.Mqtt.Codec.V5.V5PropertyScope;

namespace Hub.Mqtt.Codec.V5;

/// <summary>The property table of §2.2.2.2: each identifier's name, data type and the packets that may carry it.</summary>
internal static class V5PropertyRules
{
    private const int Acks = (1 << (int)PubAck) | (1 << (int)PubRec) | (1 << (int)PubRel) | (1 << (int)PubComp);

    private static readonly Dictionary<MqttPropertyId, Rule> Rules = new()
    {
        [MqttPropertyId.PayloadFormatIndicator] = new("Payload Format Indicator", V5PropertyKind.Byte, In(Publish, Will)),
        [MqttPropertyId.MessageExpiryInterval] = new("Message Expiry Interval", V5PropertyKind.FourByteInteger, In(Publish, Will)),
        [MqttPropertyId.ContentType] = new("Content Type", V5PropertyKind.String, In(Publish, Will)),
        [MqttPropertyId.ResponseTopic] = new("Response Topic", V5PropertyKind.String, In(Publish, Will)),
        [MqttPropertyId.CorrelationData] = new("Correlation Data", V5PropertyKind.Binary, In(Publish, Will)),
        [MqttPropertyId.SubscriptionIdentifier] = new("Subscription Identifier", V5PropertyKind.VariableByteInteger, In(Publish, Subscribe)),
        [MqttPropertyId.SessionExpiryInterval] = new("Session Expiry Interval", V5PropertyKind.FourByteInteger, In(Connect, ConnAck, Disconnect)),
        [MqttPropertyId.AssignedClientIdentifier] = new("Assigned Client Identifier", V5PropertyKind.String, In(ConnAck)),
        [MqttPropertyId.ServerKeepAlive] = new("Server Keep Alive", V5PropertyKind.TwoByteInteger, In(ConnAck)),
        [MqttPropertyId.AuthenticationMethod] = new("Authentication Method", V5PropertyKind.String, In(Connect, ConnAck, Auth)),
        [MqttPropertyId.AuthenticationData] = new("Authentication Data", V5PropertyKind.Binary, In(Connect, ConnAck, Auth)),
        [MqttPropertyId.RequestProblemInformation] = new("Request Problem Information", V5PropertyKind.Byte, In(Connect)),
        [MqttPropertyId.WillDelayInterval] = new("Will Delay Interval", V5PropertyKind.FourByteInteger, In(Will)),
        [MqttPropertyId.RequestResponseInformation] = new("Request Response Information", V5PropertyKind.Byte, In(Connect)),
        [MqttPropertyId.ResponseInformation] = new("Response Information", V5PropertyKind.String, In(ConnAck)),
        [MqttPropertyId.ServerReference] = new("Server Reference", V5PropertyKind.String, In(ConnAck, Disconnect)),
        [MqttPropertyId.ReasonString] = new("Reason String", V5PropertyKind.String, In(ConnAck, SubAck, UnsubAck, Disconnect, Auth) | Acks),
        [MqttPropertyId.ReceiveMaximum] = new("Receive Maximum", V5PropertyKind.TwoByteInteger, In(Connect, ConnAck)),
        [MqttPropertyId.TopicAliasMaximum] = new("Topic Alias Maximum", V5PropertyKind.TwoByteInteger, In(Connect, ConnAck)),
        [MqttPropertyId.TopicAlias] = new("Topic Alias", V5PropertyKind.TwoByteInteger, In(Publish)),
        [MqttPropertyId.MaximumQos] = new("Maximum QoS", V5PropertyKind.Byte, In(ConnAck)),
        [MqttPropertyId.RetainAvailable] = new("Retain Available", V5PropertyKind.Byte, In(ConnAck)),
        [MqttPropertyId.UserProperty] = new(
            "User Property", V5PropertyKind.StringPair, In(Connect, ConnAck, Publish, Will, Subscribe, SubAck, Unsubscribe, UnsubAck, Disconnect, Auth) | Acks),
        [MqttPropertyId.MaximumPacketSize] = new("Maximum Packet Size", V5PropertyKind.FourByteInteger, In(Connect, ConnAck)),
        [MqttPropertyId.WildcardSubscriptionAvailable] = new("Wildcard Subscription Available", V5PropertyKind.Byte, In(ConnAck)),
        [MqttPropertyId.SubscriptionIdentifierAvailable] = new("Subscription Identifier Available", V5PropertyKind.Byte, In(ConnAck)),
        [MqttPropertyId.SharedSubscriptionAvailable] = new("Shared Subscription Available", V5PropertyKind.Byte, In(ConnAck)),
    };

    public static bool IsKnown(int id) => id is >= 0 and <= byte.MaxValue && Rules.ContainsKey((MqttPropertyId)id);

    public static string NameOf(MqttPropertyId id) => Rules[id].Name;

    public static V5PropertyKind KindOf(MqttPropertyId id) => Rules[id].Kind;

    public static bool IsAllowed(MqttPropertyId id, V5PropertyScope scope) => (Rules[id].Scopes & (1 << (int)scope)) != 0;

    /// <summary>Only User Property may repeat anywhere; Subscription Identifier repeats in PUBLISH (one per matching subscription).</summary>
    public static bool MayRepeat(MqttPropertyId id, V5PropertyScope scope) =>
        id == MqttPropertyId.UserProperty || (id == MqttPropertyId.SubscriptionIdentifier && scope == Publish);

    /// <summary>"0x26 (User Property)", for messages.</summary>
    public static string Describe(MqttPropertyId id) => $"0x{(byte)id:X2} ({NameOf(id)})";

    /// <summary>"CONNECT", "PUBACK", or "CONNECT will properties", for messages.</summary>
    public static string Describe(V5PropertyScope scope) => scope == Will ? "CONNECT will properties" : scope.ToString().ToUpperInvariant();

    private static int In(params V5PropertyScope[] scopes) => scopes.Aggregate(0, (mask, scope) => mask | (1 << (int)scope));

    private sealed record Rule(string Name, V5PropertyKind Kind, int Scopes);
}
