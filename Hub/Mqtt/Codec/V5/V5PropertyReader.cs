using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Codec.V5;

/// <summary>
/// Reads a property list (§2.2.2): a Variable Byte Integer length, then identifier/value pairs. Unknown or
/// misplaced identifiers are a Malformed Packet; repeats and out-of-range values a Protocol Error.
/// Every length is checked against the bytes that remain before anything is allocated.
/// </summary>
internal static class V5PropertyReader
{
    public static MqttProperties Read(ref MqttSpanReader reader, V5PropertyScope scope)
    {
        var where = V5PropertyRules.Describe(scope);
        var length = reader.ReadVariableByteInteger();
        if (length > reader.Remaining)
        {
            throw new MqttProtocolException($"Malformed {where}: property length {length} exceeds the {reader.Remaining} bytes left.");
        }

        if (length == 0)
        {
            return MqttProperties.None;
        }

        var list = new MqttSpanReader(reader.ReadBytes(length), where);
        var properties = MqttProperties.None;
        List<MqttUserProperty>? user = null;
        List<int>? subscriptionIds = null;
        var seen = 0UL;
        while (list.Remaining > 0)
        {
            var raw = list.ReadVariableByteInteger();
            if (!V5PropertyRules.IsKnown(raw))
            {
                throw new MqttProtocolException($"Malformed {where}: unknown property 0x{raw:X2}.");
            }

            var id = (MqttPropertyId)raw;
            if (!V5PropertyRules.IsAllowed(id, scope))
            {
                throw new MqttProtocolException($"Malformed {where}: property {V5PropertyRules.Describe(id)} is not allowed here.");
            }

            if ((seen & (1UL << raw)) != 0 && !V5PropertyRules.MayRepeat(id, scope))
            {
                throw ProtocolError(where, $"property {V5PropertyRules.Describe(id)} appears more than once.");
            }

            seen |= 1UL << raw;
            switch (id)
            {
                case MqttPropertyId.UserProperty:
                    (user ??= []).Add(new MqttUserProperty(list.ReadString("user property name"), list.ReadString("user property value")));
                    break;
                case MqttPropertyId.SubscriptionIdentifier:
                    var subscriptionId = list.ReadVariableByteInteger();
                    (subscriptionIds ??= []).Add(subscriptionId != 0 ? subscriptionId : throw ProtocolError(where, "subscription identifier 0."));
                    break;
                default:
                    properties = ReadSingle(ref list, id, properties, where);
                    break;
            }
        }

        if (properties.AuthenticationData is not null && properties.AuthenticationMethod is null)
        {
            throw ProtocolError(where, "authentication data without an authentication method.");
        }

        return user is null && subscriptionIds is null
            ? properties
            : properties with { UserProperties = user ?? [], SubscriptionIdentifiers = subscriptionIds ?? [] };
    }

    private static MqttProperties ReadSingle(ref MqttSpanReader list, MqttPropertyId id, MqttProperties p, string where) => id switch
    {
        MqttPropertyId.PayloadFormatIndicator => p with { PayloadFormatIndicator = ZeroOrOne(list.ReadByte(), id, where) },
        MqttPropertyId.MessageExpiryInterval => p with { MessageExpiryInterval = list.ReadUInt32() },
        MqttPropertyId.ContentType => p with { ContentType = list.ReadString("content type") },
        MqttPropertyId.ResponseTopic => p with { ResponseTopic = ResponseTopic(list.ReadString("response topic"), where) },
        MqttPropertyId.CorrelationData => p with { CorrelationData = list.ReadBinary().ToArray() },
        MqttPropertyId.SessionExpiryInterval => p with { SessionExpiryInterval = list.ReadUInt32() },
        MqttPropertyId.AssignedClientIdentifier => p with { AssignedClientIdentifier = list.ReadString("assigned client identifier") },
        MqttPropertyId.ServerKeepAlive => p with { ServerKeepAlive = list.ReadUInt16() },
        MqttPropertyId.AuthenticationMethod => p with { AuthenticationMethod = list.ReadString("authentication method") },
        MqttPropertyId.AuthenticationData => p with { AuthenticationData = list.ReadBinary().ToArray() },
        MqttPropertyId.RequestProblemInformation => p with { RequestProblemInformation = ZeroOrOne(list.ReadByte(), id, where) == 1 },
        MqttPropertyId.WillDelayInterval => p with { WillDelayInterval = list.ReadUInt32() },
        MqttPropertyId.RequestResponseInformation => p with { RequestResponseInformation = ZeroOrOne(list.ReadByte(), id, where) == 1 },
        MqttPropertyId.ResponseInformation => p with { ResponseInformation = list.ReadString("response information") },
        MqttPropertyId.ServerReference => p with { ServerReference = list.ReadString("server reference") },
        MqttPropertyId.ReasonString => p with { ReasonString = list.ReadString("reason string") },
        MqttPropertyId.ReceiveMaximum => p with { ReceiveMaximum = NotZero(list.ReadUInt16(), id, where) },
        MqttPropertyId.TopicAliasMaximum => p with { TopicAliasMaximum = list.ReadUInt16() },
        MqttPropertyId.TopicAlias => p with { TopicAlias = NotZero(list.ReadUInt16(), id, where) },
        MqttPropertyId.MaximumQos => p with { MaximumQos = ZeroOrOne(list.ReadByte(), id, where) },
        MqttPropertyId.RetainAvailable => p with { RetainAvailable = ZeroOrOne(list.ReadByte(), id, where) == 1 },
        MqttPropertyId.MaximumPacketSize => p with { MaximumPacketSize = NotZero(list.ReadUInt32(), id, where) },
        MqttPropertyId.WildcardSubscriptionAvailable => p with { WildcardSubscriptionAvailable = ZeroOrOne(list.ReadByte(), id, where) == 1 },
        MqttPropertyId.SubscriptionIdentifierAvailable => p with { SubscriptionIdentifiersAvailable = ZeroOrOne(list.ReadByte(), id, where) == 1 },
        MqttPropertyId.SharedSubscriptionAvailable => p with { SharedSubscriptionAvailable = ZeroOrOne(list.ReadByte(), id, where) == 1 },
        _ => throw new InvalidOperationException($"Property {id} has no reader."),
    };

    private static byte ZeroOrOne(byte value, MqttPropertyId id, string where) =>
        value <= 1 ? value : throw ProtocolError(where, $"property {V5PropertyRules.Describe(id)} has value {value}; only 0 and 1 are allowed.");

    private static T NotZero<T>(T value, MqttPropertyId id, string where)
        where T : System.Numerics.INumber<T> =>
        !T.IsZero(value) ? value : throw ProtocolError(where, $"property {V5PropertyRules.Describe(id)} is 0.");

    private static string ResponseTopic(string topic, string where) =>
        topic.Length > 0 && topic.AsSpan().IndexOfAny('+', '#') < 0
            ? topic
            : throw new MqttProtocolException($"Malformed {where}: invalid response topic '{topic}'.");

    public static MqttProtocolException ProtocolError(string where, string what) =>
        new($"Protocol error in {where}: {what}", MqttReasonCode.ProtocolError);
}
