using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One <c>pushsafer</c> target (mqttwarn): a dict of named parameters, or the legacy list
/// <c>[key, device, icon, sound, vibration, url, url_title, time_to_live, priority, retry, expire,
/// answer, answer_options, answer_force, confirm_repeat]</c> (all after the key optional). The
/// parameters become Pushsafer's short wire names. An empty key comes from <c>PUSHSAFER_TOKEN</c>.
/// </summary>
public sealed record PushsaferTarget(string PrivateKey, IReadOnlyList<KeyValuePair<string, string>> Parameters)
{
    /// <summary>Named parameters and their wire names, in the list form's order. Pushsafer's documentation spells three of them differently; both are accepted.</summary>
    private static readonly (string Name, string? Alias, string Wire)[] Names =
    [
        ("device", null, "d"), ("icon", null, "i"), ("sound", null, "s"), ("vibration", null, "v"), ("url", null, "u"), ("url_title", null, "ut"),
        ("time_to_live", null, "l"), ("priority", null, "pr"), ("retry", null, "re"), ("expire", null, "ex"), ("answer", null, "a"),
        ("answer_options", "answeroptions", "ao"), ("answer_force", "answerforce", "af"), ("confirm_repeat", "confirm", "cr"),
    ];

    public static PushsaferTarget From(object? descriptor)
    {
        string? key;
        var values = new string?[Names.Length];
        if (Descriptor.Named(descriptor) is { } named)
        {
            var known = Names.SelectMany(n => n.Alias is null ? [n.Name] : new[] { n.Name, n.Alias }).Append("private_key").ToHashSet();
            if (named.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            {
                throw new FormatException($"unknown key '{unknown}' (known: private_key, {string.Join(", ", Names.Select(n => n.Alias is null ? n.Name : $"{n.Name} ({n.Alias})"))})");
            }

            key = Text(named.GetValueOrDefault("private_key"));
            for (var i = 0; i < Names.Length; i++)
            {
                values[i] = Text(named.GetValueOrDefault(Names[i].Name)) ?? (Names[i].Alias is { } alias ? Text(named.GetValueOrDefault(alias)) : null);
            }
        }
        else if (descriptor is IReadOnlyList<object?> { Count: >= 1 } items && items.Count <= Names.Length + 1)
        {
            key = Text(items[0]);
            for (var i = 1; i < items.Count; i++)
            {
                values[i - 1] = Text(items[i]);
            }
        }
        else
        {
            throw new FormatException($"the target must be a dict {{'private_key': …, 'device': …, …}} or a list [private_key, device?, icon?, …] of at most {Names.Length + 1} items");
        }

        key ??= Text(Environment.GetEnvironmentVariable("PUSHSAFER_TOKEN"))
            ?? throw new FormatException("no private or alias key: give private_key in the target or set PUSHSAFER_TOKEN");
        var parameters = Names.Select((n, i) => new KeyValuePair<string, string>(n.Wire, values[i] ?? "")).Where(p => p.Value.Length > 0).ToList();
        return new PushsaferTarget(key, parameters);
    }

    /// <summary>Text of a value; empty parameters are not sent (mqttwarn).</summary>
    private static string? Text(object? value) => OptionValues.ToText(value)?.Trim() is { Length: > 0 } text ? text : null;
}
