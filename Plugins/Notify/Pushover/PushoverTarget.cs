using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One <c>pushover</c> target, mqttwarn's <c>[userkey, appkey, sound?, devices?]</c>. A user or app
/// key given as <c>None</c> comes from the environment (<c>PUSHOVER_USER</c>, <c>PUSHOVER_TOKEN</c>).
/// </summary>
public sealed record PushoverTarget(string UserKey, string AppToken, string? Sound, string? Devices)
{
    public static PushoverTarget From(object? descriptor)
    {
        if (descriptor is not IReadOnlyList<object?> { Count: >= 2 and <= 4 } items || items.Any(i => i is not (null or string or long)))
        {
            throw new FormatException("the target must be [userkey, appkey, sound?, devices?] (userkey or appkey None: from PUSHOVER_USER / PUSHOVER_TOKEN)");
        }

        var user = Text(items[0]) ?? Text(Environment.GetEnvironmentVariable("PUSHOVER_USER"))
            ?? throw new FormatException("no user key: give one in the target or set PUSHOVER_USER");
        var token = Text(items[1]) ?? Text(Environment.GetEnvironmentVariable("PUSHOVER_TOKEN"))
            ?? throw new FormatException("no application token: give one in the target or set PUSHOVER_TOKEN");
        return new PushoverTarget(user, token, Text(items.ElementAtOrDefault(2)), Text(items.ElementAtOrDefault(3)));
    }

    private static string? Text(object? value) => OptionValues.ToText(value)?.Trim() is { Length: > 0 } text ? text : null;
}
