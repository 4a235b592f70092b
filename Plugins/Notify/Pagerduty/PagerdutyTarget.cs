using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One <c>pagerduty</c> target: <c>[routing_key?]</c>, the routing key as text, or a dict of
/// <c>routing_key, event_action, dedup_key, source, component, group, class, severity</c>; what is
/// missing comes from the options.
/// </summary>
public sealed record PagerdutyTarget(string RoutingKey, IReadOnlyDictionary<string, string> Fields)
{
    public static readonly string[] Actions = ["trigger", "acknowledge", "resolve"];
    public static readonly string[] Severities = ["critical", "error", "warning", "info"];
    private static readonly string[] Keys = ["routing_key", "event_action", "dedup_key", "source", "component", "group", "class", "severity"];

    public static PagerdutyTarget From(PagerdutyOptions service, object? descriptor)
    {
        var fields = new Dictionary<string, string>();
        if (Descriptor.Named(descriptor) is { } named)
        {
            if (named.Keys.FirstOrDefault(k => !Keys.Contains(k)) is { } unknown)
            {
                throw new FormatException($"unknown key '{unknown}' (known: {string.Join(", ", Keys)})");
            }

            foreach (var (key, value) in named)
            {
                if (Text(value) is { } text)
                {
                    fields[key] = text;
                }
            }
        }
        else if (Descriptor.Items(descriptor) is { Count: <= 1 } items && items.All(i => i is null or string))
        {
            if (Text(items.FirstOrDefault()) is { } key)
            {
                fields["routing_key"] = key;
            }
        }
        else
        {
            throw new FormatException("the target must be ['routing key'], [] (the service's routing_key) or a dict {'routing_key': …, 'dedup_key': …, …}");
        }

        if (fields.GetValueOrDefault("event_action") is { } action && !Actions.Contains(action))
        {
            throw new FormatException($"event_action must be trigger, acknowledge or resolve (got '{action}')");
        }

        if (fields.GetValueOrDefault("severity") is { } severity && !Severities.Contains(severity))
        {
            throw new FormatException($"severity must be critical, error, warning or info (got '{severity}')");
        }

        var routingKey = fields.GetValueOrDefault("routing_key") ?? Text(service.RoutingKey)
            ?? throw new FormatException("no routing key: set routing_key on [config:pagerduty] or in the target");
        fields.Remove("routing_key");
        return new PagerdutyTarget(routingKey, fields);
    }

    private static string? Text(object? value) => OptionValues.ToText(value)?.Trim() is { Length: > 0 } text ? text : null;
}
