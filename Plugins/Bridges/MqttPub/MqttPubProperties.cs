using System.Text;
using Hub.Plugins.Common;

namespace Hub.Plugins.Bridges;

/// <summary>
/// The MQTT 5.0 properties of an <c>mqttpub</c> target as written (texts may use transformation data like the topic):
/// <c>message_expiry</c> (seconds), <c>content_type</c>, <c>response_topic</c>, <c>correlation_data</c> (text, sent as
/// UTF-8), <c>correlation_data_hex</c> (bytes as hex), <c>payload_format</c> (0 or 1), <c>user_properties</c> (a dict).
/// </summary>
public sealed record MqttPubProperties(
    uint? MessageExpiry,
    string? ContentType,
    string? ResponseTopic,
    string? CorrelationData,
    string? CorrelationDataHex,
    bool? PayloadIsUtf8,
    IReadOnlyList<KeyValuePair<string, string>> UserProperties)
{
    public static readonly IReadOnlyList<string> Keys =
        ["message_expiry", "content_type", "response_topic", "correlation_data", "correlation_data_hex", "payload_format", "user_properties"];

    public static readonly MqttPubProperties None = new(null, null, null, null, null, null, []);

    public bool IsEmpty => this == None || (MessageExpiry is null && ContentType is null && ResponseTopic is null && CorrelationData is null
        && CorrelationDataHex is null && PayloadIsUtf8 is null && UserProperties.Count == 0);

    public static MqttPubProperties From(IReadOnlyDictionary<string, object?>? values)
    {
        if (values is null || values.Count == 0)
        {
            return None;
        }

        uint? expiry = null;
        if (values.GetValueOrDefault("message_expiry") is { } expiryValue)
        {
            var seconds = OptionValues.ToInt(expiryValue, "message_expiry");
            expiry = seconds >= 0 ? (uint)seconds : throw new FormatException($"message_expiry must be a number of seconds, 0 or more (got {seconds})");
        }

        bool? utf8 = null;
        if (values.GetValueOrDefault("payload_format") is { } formatValue)
        {
            var format = OptionValues.ToInt(formatValue, "payload_format");
            utf8 = format is 0 or 1 ? format == 1 : throw new FormatException($"payload_format must be 0 (bytes) or 1 (UTF-8 text), not {format}");
        }

        if (values.ContainsKey("correlation_data") && values.ContainsKey("correlation_data_hex"))
        {
            throw new FormatException("give correlation_data or correlation_data_hex, not both");
        }

        var user = new List<KeyValuePair<string, string>>();
        if (values.GetValueOrDefault("user_properties") is { } userValue)
        {
            var dict = userValue as IReadOnlyDictionary<string, object?>
                ?? throw new FormatException($"user_properties must be a dict like {{'source': 'hub'}}, not {OptionValues.Describe(userValue)}");
            user.AddRange(dict.Select(e => KeyValuePair.Create(e.Key, OptionValues.ToText(e.Value) ?? "")));
        }

        return new MqttPubProperties(
            expiry,
            Text(values, "content_type"),
            Text(values, "response_topic"),
            Text(values, "correlation_data"),
            Text(values, "correlation_data_hex"),
            utf8,
            user);
    }

    /// <summary>The properties to publish, texts formatted with <paramref name="format"/> (the item's data, like the topic).</summary>
    public PublishProperties Resolve(Func<string, string> format)
    {
        ArgumentNullException.ThrowIfNull(format);
        string? Apply(string? text) => text is null ? null : Templated(text) ? format(text) : text;
        var responseTopic = Apply(ResponseTopic);
        if (responseTopic is not null && (responseTopic.Length == 0 || responseTopic.Contains('+') || responseTopic.Contains('#')))
        {
            throw new FormatException($"cannot use '{responseTopic}' as response_topic: a topic name must be non-empty and have no wildcards");
        }

        ReadOnlyMemory<byte>? correlation = null;
        if (Apply(CorrelationData) is { } text)
        {
            correlation = Encoding.UTF8.GetBytes(text);
        }
        else if (Apply(CorrelationDataHex) is { } hex)
        {
            try
            {
                correlation = Convert.FromHexString(hex.Trim());
            }
            catch (FormatException)
            {
                throw new FormatException($"correlation_data_hex must be hexadecimal digits, not '{hex}'");
            }
        }

        return new PublishProperties
        {
            MessageExpirySeconds = MessageExpiry,
            ContentType = Apply(ContentType),
            ResponseTopic = responseTopic,
            CorrelationData = correlation,
            PayloadIsUtf8 = PayloadIsUtf8,
            UserProperties = UserProperties.Count == 0 ? [] : UserProperties.Select(p => KeyValuePair.Create(p.Key, Apply(p.Value) ?? "")).ToList(),
        };
    }

    private static bool Templated(string text) => text.Contains('{', StringComparison.Ordinal) || text.Contains('}', StringComparison.Ordinal);

    private static string? Text(IReadOnlyDictionary<string, object?> values, string key) =>
        values.GetValueOrDefault(key) is { } value ? OptionValues.ToText(value) : null;
}
