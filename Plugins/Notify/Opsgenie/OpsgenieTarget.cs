using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One <c>opsgenie</c> target: <c>[api_key?]</c>, the key as text, or
/// <c>{api_key?, responders?, tags?, alias?, entity?, source?}</c>. Responders are dicts
/// (<c>{'type': 'team', 'name': 'ops'}</c>) or <c>'type:name'</c> text (<c>'team:ops'</c>, <c>'user:jane@x.org'</c>).
/// </summary>
public sealed record OpsgenieTarget(string ApiKey, IReadOnlyList<IReadOnlyDictionary<string, object?>> Responders, IReadOnlyList<string> Tags, IReadOnlyDictionary<string, string> Fields)
{
    private static readonly string[] Keys = ["api_key", "responders", "tags", "alias", "entity", "source"];
    private static readonly string[] ResponderTypes = ["team", "user", "escalation", "schedule"];

    public static OpsgenieTarget From(OpsgenieOptions service, object? descriptor)
    {
        string? key = null;
        var responders = new List<IReadOnlyDictionary<string, object?>>();
        var tags = new List<string>();
        var fields = new Dictionary<string, string>();
        if (Descriptor.Named(descriptor) is { } named)
        {
            if (named.Keys.FirstOrDefault(k => !Keys.Contains(k)) is { } unknown)
            {
                throw new FormatException($"unknown key '{unknown}' (known: {string.Join(", ", Keys)})");
            }

            key = Text(named.GetValueOrDefault("api_key"));
            responders.AddRange(Descriptor.Items(named.GetValueOrDefault("responders")).Select(Responder));
            tags.AddRange(Descriptor.Items(named.GetValueOrDefault("tags")).Select(Text).OfType<string>().SelectMany(t => t.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
            foreach (var field in new[] { "alias", "entity", "source" })
            {
                if (Text(named.GetValueOrDefault(field)) is { } value)
                {
                    fields[field] = value;
                }
            }
        }
        else if (Descriptor.Items(descriptor) is { Count: <= 1 } items && items.All(i => i is null or string))
        {
            key = Text(items.FirstOrDefault());
        }
        else
        {
            throw new FormatException("the target must be ['api key'], [] (the service's api_key) or a dict {'api_key': …, 'responders': […], 'tags': […], …}");
        }

        key ??= Text(service.ApiKey) ?? throw new FormatException("no API key: set api_key on [config:opsgenie] or in the target");
        return new OpsgenieTarget(key, responders, tags, fields);
    }

    private static IReadOnlyDictionary<string, object?> Responder(object? value)
    {
        if (Descriptor.Named(value) is { } dict)
        {
            if (Text(dict.GetValueOrDefault("type")) is not { } type || !ResponderTypes.Contains(type))
            {
                throw new FormatException("a responder's type must be team, user, escalation or schedule");
            }

            if (!dict.ContainsKey("id") && !dict.ContainsKey("name") && !dict.ContainsKey("username"))
            {
                throw new FormatException("a responder needs an id, a name or (for a user) a username");
            }

            return dict;
        }

        if (Text(value)?.Split(':', 2) is [var kind, var name] && ResponderTypes.Contains(kind) && name.Length > 0)
        {
            return new Dictionary<string, object?> { ["type"] = kind, [kind == "user" ? "username" : "name"] = name };
        }

        throw new FormatException("a responder is a dict {'type': 'team', 'name': …} or text 'team:NAME', 'user:EMAIL', 'escalation:NAME', 'schedule:NAME'");
    }

    private static string? Text(object? value) => OptionValues.ToText(value)?.Trim() is { Length: > 0 } text ? text : null;
}
