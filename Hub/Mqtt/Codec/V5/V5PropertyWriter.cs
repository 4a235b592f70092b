using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Codec.V5;

/// <summary>
/// Writes a property list in identifier order (user properties in their own order). <see cref="Prepare"/>
/// validates and measures once; <see cref="Write"/> then fills the packet's span.
/// </summary>
internal static class V5PropertyWriter
{
    /// <summary>The properties of one list, checked and measured: <see cref="Size"/> includes the length prefix.</summary>
    public readonly record struct Prepared(IReadOnlyList<Entry> Entries, int Length)
    {
        public int Size => RemainingLength.GetSize(Length) + Length;
    }

    /// <summary>One property value; <see cref="Number"/> holds integers, <see cref="Text"/>/<see cref="Text2"/> strings with their UTF-8 byte counts.</summary>
    public readonly record struct Entry(MqttPropertyId Id, uint Number = 0, string? Text = null, int TextLength = 0, string? Text2 = null, int Text2Length = 0, ReadOnlyMemory<byte> Binary = default);

    private static readonly Prepared Nothing = new([], 0);

    public static Prepared Prepare(MqttProperties properties, V5PropertyScope scope)
    {
        if (ReferenceEquals(properties, MqttProperties.None) || properties.IsEmpty)
        {
            return Nothing;
        }

        var entries = new List<Entry>();
        void Add(MqttPropertyId id, uint number = 0, string? text = null, string? text2 = null, ReadOnlyMemory<byte> binary = default)
        {
            if (!V5PropertyRules.IsAllowed(id, scope))
            {
                throw new ArgumentException($"Property {V5PropertyRules.Describe(id)} is not allowed in {V5PropertyRules.Describe(scope)}.");
            }

            var name = V5PropertyRules.NameOf(id);
            entries.Add(new Entry(
                id, number, text, text is null ? 0 : MqttStrings.GetByteCount(text, name), text2, text2 is null ? 0 : MqttStrings.GetByteCount(text2, name), binary));
        }

        var p = properties;
        if (p.PayloadFormatIndicator is { } format) Add(MqttPropertyId.PayloadFormatIndicator, ZeroOrOne(format, "Payload Format Indicator"));
        if (p.MessageExpiryInterval is { } expiry) Add(MqttPropertyId.MessageExpiryInterval, expiry);
        if (p.ContentType is { } contentType) Add(MqttPropertyId.ContentType, text: contentType);
        if (p.ResponseTopic is { } responseTopic) Add(MqttPropertyId.ResponseTopic, text: ValidTopic(responseTopic));
        if (p.CorrelationData is { } correlation) Add(MqttPropertyId.CorrelationData, binary: correlation);
        if (p.SubscriptionIdentifiers.Count > (scope == V5PropertyScope.Publish ? int.MaxValue : 1))
        {
            throw new ArgumentException($"{V5PropertyRules.Describe(scope)} carries at most one subscription identifier.");
        }

        foreach (var id in p.SubscriptionIdentifiers)
        {
            Add(MqttPropertyId.SubscriptionIdentifier, id is >= 1 and <= RemainingLength.Max ? (uint)id : throw new ArgumentException($"Subscription identifier {id} is outside 1…{RemainingLength.Max}."));
        }

        if (p.SessionExpiryInterval is { } session) Add(MqttPropertyId.SessionExpiryInterval, session);
        if (p.AssignedClientIdentifier is { } assigned) Add(MqttPropertyId.AssignedClientIdentifier, text: assigned);
        if (p.ServerKeepAlive is { } keepAlive) Add(MqttPropertyId.ServerKeepAlive, keepAlive);
        if (p.AuthenticationMethod is { } method) Add(MqttPropertyId.AuthenticationMethod, text: method);
        if (p.AuthenticationData is { } data)
        {
            Add(MqttPropertyId.AuthenticationData, binary: p.AuthenticationMethod is not null ? data : throw new ArgumentException("Authentication data needs an authentication method."));
        }

        if (p.RequestProblemInformation is { } problem) Add(MqttPropertyId.RequestProblemInformation, problem ? 1u : 0u);
        if (p.WillDelayInterval is { } willDelay) Add(MqttPropertyId.WillDelayInterval, willDelay);
        if (p.RequestResponseInformation is { } response) Add(MqttPropertyId.RequestResponseInformation, response ? 1u : 0u);
        if (p.ResponseInformation is { } responseInfo) Add(MqttPropertyId.ResponseInformation, text: responseInfo);
        if (p.ServerReference is { } reference) Add(MqttPropertyId.ServerReference, text: reference);
        if (p.ReasonString is { } reason) Add(MqttPropertyId.ReasonString, text: reason);
        if (p.ReceiveMaximum is { } receiveMaximum) Add(MqttPropertyId.ReceiveMaximum, NotZero(receiveMaximum, "Receive Maximum"));
        if (p.TopicAliasMaximum is { } aliasMaximum) Add(MqttPropertyId.TopicAliasMaximum, aliasMaximum);
        if (p.TopicAlias is { } alias) Add(MqttPropertyId.TopicAlias, NotZero(alias, "Topic Alias"));
        if (p.MaximumQos is { } maximumQos) Add(MqttPropertyId.MaximumQos, ZeroOrOne(maximumQos, "Maximum QoS"));
        if (p.RetainAvailable is { } retain) Add(MqttPropertyId.RetainAvailable, retain ? 1u : 0u);
        foreach (var pair in p.UserProperties)
        {
            Add(MqttPropertyId.UserProperty, text: pair.Name, text2: pair.Value);
        }

        if (p.MaximumPacketSize is { } maximumPacketSize) Add(MqttPropertyId.MaximumPacketSize, NotZero(maximumPacketSize, "Maximum Packet Size"));
        if (p.WildcardSubscriptionAvailable is { } wildcard) Add(MqttPropertyId.WildcardSubscriptionAvailable, wildcard ? 1u : 0u);
        if (p.SubscriptionIdentifiersAvailable is { } ids) Add(MqttPropertyId.SubscriptionIdentifierAvailable, ids ? 1u : 0u);
        if (p.SharedSubscriptionAvailable is { } shared) Add(MqttPropertyId.SharedSubscriptionAvailable, shared ? 1u : 0u);

        var length = 0L;
        foreach (var entry in entries)
        {
            length += 1 + ValueSize(entry);
        }

        return length <= RemainingLength.Max
            ? new Prepared(entries, (int)length)
            : throw new ArgumentException($"Properties of {length} bytes exceed the MQTT maximum of {RemainingLength.Max}.");
    }

    public static void Write(ref MqttSpanWriter writer, in Prepared prepared)
    {
        writer.WriteVariableByteInteger(prepared.Length);
        foreach (var entry in prepared.Entries)
        {
            writer.WriteByte((byte)entry.Id);
            switch (V5PropertyRules.KindOf(entry.Id))
            {
                case V5PropertyKind.Byte: writer.WriteByte((byte)entry.Number); break;
                case V5PropertyKind.TwoByteInteger: writer.WriteUInt16((ushort)entry.Number); break;
                case V5PropertyKind.FourByteInteger: writer.WriteUInt32(entry.Number); break;
                case V5PropertyKind.VariableByteInteger: writer.WriteVariableByteInteger((int)entry.Number); break;
                case V5PropertyKind.String: writer.WriteString(entry.Text!, entry.TextLength); break;
                case V5PropertyKind.Binary: writer.WriteBinary(entry.Binary.Span); break;
                case V5PropertyKind.StringPair:
                    writer.WriteString(entry.Text!, entry.TextLength);
                    writer.WriteString(entry.Text2!, entry.Text2Length);
                    break;
            }
        }
    }

    private static int ValueSize(in Entry entry) => V5PropertyRules.KindOf(entry.Id) switch
    {
        V5PropertyKind.Byte => 1,
        V5PropertyKind.TwoByteInteger => 2,
        V5PropertyKind.FourByteInteger => 4,
        V5PropertyKind.VariableByteInteger => RemainingLength.GetSize((int)entry.Number),
        V5PropertyKind.String => 2 + entry.TextLength,
        V5PropertyKind.Binary => entry.Binary.Length <= ushort.MaxValue
            ? 2 + entry.Binary.Length
            : throw new ArgumentException($"{V5PropertyRules.NameOf(entry.Id)} is longer than 65535 bytes."),
        _ => 4 + entry.TextLength + entry.Text2Length,
    };

    private static uint ZeroOrOne(byte value, string name) =>
        value <= 1 ? value : throw new ArgumentException($"{name} must be 0 or 1, not {value}.");

    private static uint NotZero(uint value, string name) =>
        value != 0 ? value : throw new ArgumentException($"{name} must not be 0.");

    private static string ValidTopic(string topic)
    {
        MqttTopics.ValidateName(topic);
        return topic;
    }
}
