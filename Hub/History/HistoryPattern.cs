using Hub.Mqtt;

namespace Hub.History;

/// <summary>
/// A series pattern: an MQTT topic filter (<c>+</c>, <c>#</c>), optionally followed by <c>#FIELD</c>
/// (<c>tour/+/temperature#value</c>, <c>sensors/##humidity</c>). Empty or null matches every series.
/// </summary>
internal sealed record HistoryPattern(string TopicFilter, string? Field)
{
    public static HistoryPattern Parse(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return new("#", null);
        }

        // A '#' that is not the last character starts the field: a topic filter's own '#' is always last.
        var split = pattern.LastIndexOf('#');
        return split >= 0 && split < pattern.Length - 1 && split > 0
            ? new(pattern[..split], pattern[(split + 1)..])
            : new(pattern, null);
    }

    public bool Matches(string topic, string field) =>
        Mqtt.TopicFilter.Matches(TopicFilter, topic) && (Field is null or "+" || Field == field);
}
