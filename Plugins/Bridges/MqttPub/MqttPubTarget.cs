using Hub.Plugins.Common;

namespace Hub.Plugins.Bridges;

/// <summary>
/// An <c>mqttpub</c> target: <c>[topic, qos?, retain?, {properties}?]</c> (qos default 0, retain default False), or the
/// same as a dict: <c>{'topic': …, 'qos': …, 'retain': …, 'content_type': …}</c>. The MQTT 5.0 properties are
/// <see cref="MqttPubProperties.Keys"/>.
/// </summary>
public sealed record MqttPubTarget(string Topic, int Qos, bool Retain, MqttPubProperties Properties)
{
    private static readonly HashSet<string> TargetKeys = ["topic", "qos", "retain"];

    public static MqttPubTarget From(object? descriptor)
    {
        if (Descriptor.Named(descriptor) is { } named)
        {
            var unknown = named.Keys.Where(k => !TargetKeys.Contains(k) && !MqttPubProperties.Keys.Contains(k)).ToList();
            if (unknown.Count > 0)
            {
                throw new FormatException($"unknown key {string.Join(", ", unknown.Select(k => $"'{k}'"))}; known: topic, qos, retain, {string.Join(", ", MqttPubProperties.Keys)}");
            }

            return Create(named.GetValueOrDefault("topic"), named.GetValueOrDefault("qos"), named.GetValueOrDefault("retain"),
                named.Where(e => MqttPubProperties.Keys.Contains(e.Key)).ToDictionary());
        }

        var items = Descriptor.Items(descriptor);
        if (items.Count is < 1 or > 4)
        {
            throw new FormatException("the target must be [topic, qos, retain] or [topic, qos, retain, {properties}]");
        }

        IReadOnlyDictionary<string, object?>? properties = null;
        if (items.Count == 4)
        {
            properties = items[3] as IReadOnlyDictionary<string, object?>
                ?? throw new FormatException($"the fourth item must be a dict of MQTT 5.0 properties ({string.Join(", ", MqttPubProperties.Keys)}), not {OptionValues.Describe(items[3])}");
            var unknown = properties.Keys.Where(k => !MqttPubProperties.Keys.Contains(k)).ToList();
            if (unknown.Count > 0)
            {
                throw new FormatException($"unknown property {string.Join(", ", unknown.Select(k => $"'{k}'"))}; known: {string.Join(", ", MqttPubProperties.Keys)}");
            }
        }

        return Create(items[0], items.Count > 1 ? items[1] : null, items.Count > 2 ? items[2] : null, properties);
    }

    private static MqttPubTarget Create(object? topicValue, object? qosValue, object? retainValue, IReadOnlyDictionary<string, object?>? properties)
    {
        if (OptionValues.ToText(topicValue) is not { Length: > 0 } topic)
        {
            throw new FormatException("the target must be [topic, qos, retain]: the topic is missing");
        }

        var qos = qosValue is null ? 0 : OptionValues.ToInt(qosValue, "qos");
        if (qos is < 0 or > 2)
        {
            throw new FormatException($"qos must be 0, 1 or 2 (got {qos})");
        }

        var retain = retainValue is not null && OptionValues.ToBool(retainValue, "retain");
        return new MqttPubTarget(topic, qos, retain, MqttPubProperties.From(properties));
    }
}
