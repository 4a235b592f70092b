namespace Hub.Plugins.Notify;

/// <summary>
/// One request parameter of an <c>http</c> target. mqttwarn's value forms: <c>'{fmt}'</c> formatted
/// with the data, <c>'@key'</c> the raw value of <c>key</c> (<c>NOP</c> when missing), <c>'?key'</c>
/// the raw value, or no parameter at all when it is missing.
/// </summary>
public sealed record HttpParameter(string Name, object? Template)
{
    /// <summary>The value to send, or <see langword="null"/> when an optional (<c>?</c>) parameter's key is missing.</summary>
    /// <exception cref="FormatException">A format template names a key the data does not have.</exception>
    public object? Resolve(DeliveryItem item, IDataFormatter formatter) => Template switch
    {
        string s when s.StartsWith('@') => Lookup(item, s[1..]) ?? "NOP",
        string s when s.StartsWith('?') => Lookup(item, s[1..]),
        string s => formatter.Format(s, item.Data),
        _ => Template,
    };

    /// <summary>
    /// A data key, else one of the item's own fields (mqttwarn reads <c>'@message'</c> from the item):
    /// <c>message</c>, <c>title</c>, <c>topic</c>, <c>payload</c>, <c>priority</c>.
    /// </summary>
    public static object? Lookup(DeliveryItem item, string key)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Data.TryGetValue(key, out var value) && value is not null)
        {
            return value;
        }

        return key switch
        {
            "message" => item.Message,
            "title" => item.Title,
            "topic" => item.Topic,
            "payload" => System.Text.Encoding.UTF8.GetString(item.Payload.Span),
            "priority" => (long)item.Priority,
            _ => null,
        };
    }
}
