using System.Text.Unicode;
using Hub.Mqtt;

namespace Hub.Routing;

/// <summary>
/// The MQTT 5.0 properties of a received message as transformation data (docs/mqtt5.md). Only present
/// properties add a key. They are added after the JSON payload is merged, so a payload key of the same
/// name never hides them.
/// </summary>
public static class PropertyData
{
    public const string ContentType = "_content_type";
    public const string ResponseTopic = "_response_topic";
    public const string CorrelationData = "_correlation_data";
    public const string CorrelationDataHex = "_correlation_data_hex";
    public const string MessageExpiry = "_message_expiry";
    public const string PayloadFormat = "_payload_format";
    public const string UserProperties = "_user_properties";
    public const string SubscriptionIds = "_subscription_ids";

    /// <summary>Adds the keys of the present properties to <paramref name="data"/> (overwriting).</summary>
    public static void Add(OrderedDictionary<string, object?> data, MqttMessageProperties? properties)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (properties is null)
        {
            return;
        }

        Set(data, ContentType, properties.ContentType);
        Set(data, ResponseTopic, properties.ResponseTopic);
        if (properties.CorrelationData is { } correlation)
        {
            // Text when it is UTF-8 (the common case: a request id); the hex form always, so binary data round-trips.
            var hex = Convert.ToHexStringLower(correlation.Span);
            data[CorrelationData] = Utf8.IsValid(correlation.Span) ? System.Text.Encoding.UTF8.GetString(correlation.Span) : hex;
            data[CorrelationDataHex] = hex;
        }

        Set(data, MessageExpiry, properties.MessageExpiryInterval is { } expiry ? (long)expiry : null);
        Set(data, PayloadFormat, properties.PayloadFormatIndicator is { } format ? (long)format : null);
        if (properties.UserProperties.Count > 0)
        {
            // A name given twice keeps its last value, as a Python dict built from the pairs would.
            var user = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (name, value) in properties.UserProperties)
            {
                user[name] = value;
            }

            data[UserProperties] = user;
        }

        if (properties.SubscriptionIdentifiers.Count > 0)
        {
            data[SubscriptionIds] = properties.SubscriptionIdentifiers.Select(id => (object?)(long)id).ToList();
        }
    }

    private static void Set(OrderedDictionary<string, object?> data, string key, object? value)
    {
        if (value is not null)
        {
            data[key] = value;
        }
    }
}
