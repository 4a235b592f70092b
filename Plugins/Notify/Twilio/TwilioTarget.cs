using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>One <c>twilio</c> target: mqttwarn's <c>[account_sid, auth_token, from, to]</c>, or the same as a dict.</summary>
public sealed record TwilioTarget(string AccountSid, string AuthToken, string Sender, string To)
{
    private static readonly string[] Keys = ["account_sid", "auth_token", "from", "to"];

    public static TwilioTarget From(object? descriptor)
    {
        IReadOnlyList<string?> values;
        if (Descriptor.Named(descriptor) is { } named)
        {
            if (named.Keys.FirstOrDefault(k => !Keys.Contains(k)) is { } unknown)
            {
                throw new FormatException($"unknown key '{unknown}' (known: {string.Join(", ", Keys)})");
            }

            values = [.. Keys.Select(k => Text(named.GetValueOrDefault(k)))];
        }
        else if (descriptor is IReadOnlyList<object?> { Count: 4 } items)
        {
            values = [.. items.Select(Text)];
        }
        else
        {
            throw new FormatException("the target must be [account_sid, auth_token, from, to] or {'account_sid': …, 'auth_token': …, 'from': …, 'to': …}");
        }

        if (values.Select((v, i) => v is null ? Keys[i] : null).OfType<string>().ToList() is { Count: > 0 } missing)
        {
            throw new FormatException($"the target has no {string.Join(", ", missing)}");
        }

        // The SID is a path segment: keep it to what Twilio issues (AC + hex), so it cannot change the path.
        if (!values[0]!.All(char.IsAsciiLetterOrDigit))
        {
            throw new FormatException("account_sid must be letters and digits (AC…)");
        }

        return new TwilioTarget(values[0]!, values[1]!, values[2]!, values[3]!);
    }

    private static string? Text(object? value) => OptionValues.ToText(value)?.Trim() is { Length: > 0 } text ? text : null;
}
