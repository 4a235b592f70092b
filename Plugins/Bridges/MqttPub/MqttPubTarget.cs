using Hub.Plugins.Common;

namespace Hub.Plugins.Bridges;

/// <summary>An <c>mqttpub</c> target: <c>[topic, qos?, retain?]</c> (qos default 0, retain default False).</summary>
public sealed record MqttPubTarget(string Topic, int Qos, bool Retain)
{
    public static MqttPubTarget From(object? descriptor)
    {
        var items = Descriptor.Items(descriptor);
        if (items.Count is < 1 or > 3 || OptionValues.ToText(items[0]) is not { Length: > 0 } topic)
        {
            throw new FormatException("the target must be [topic, qos, retain]");
        }

        var qos = items.Count > 1 ? OptionValues.ToInt(items[1], "qos") : 0;
        if (qos is < 0 or > 2)
        {
            throw new FormatException($"qos must be 0, 1 or 2 (got {qos})");
        }

        var retain = items.Count > 2 && OptionValues.ToBool(items[2], "retain");
        return new MqttPubTarget(topic, qos, retain);
    }
}
