using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One resolved <c>mattermost</c> target: mqttwarn's <c>[hook_url, channel, username?, icon_url?]</c>
/// (<c>None</c> for a channel, username or icon leaves it to the webhook's settings).
/// </summary>
public sealed record MattermostTarget(string HookUrl, string? Channel, string? Username, string? IconUrl)
{
    private const string Shape = "the target must be ['hook_url', 'channel', 'username'?, 'icon_url'?]";

    public static MattermostTarget From(object? descriptor)
    {
        var items = descriptor is IReadOnlyList<object?> list ? list : throw new FormatException(Shape);
        if (items.Count is < 2 or > 4)
        {
            throw new FormatException(Shape);
        }

        var hook = Text(items[0]) ?? throw new FormatException(Shape);
        if (!IsHttpUrl(hook))
        {
            throw new FormatException("the target's hook_url must be an http(s) URL");
        }

        var icon = Text(items.ElementAtOrDefault(3));
        if (icon is not null && !IsHttpUrl(icon))
        {
            throw new FormatException("the target's icon_url must be an http(s) URL");
        }

        return new MattermostTarget(hook, Text(items[1]), Text(items.ElementAtOrDefault(2)), icon);
    }

    private static bool IsHttpUrl(string value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static string? Text(object? value) => OptionValues.ToText(value) is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
