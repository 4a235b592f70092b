using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One resolved <c>discord</c> target: the webhook URL as text (or a one-item list), or a dict
/// <c>{webhook_url, username, avatar_url}</c>. The target's username and avatar win over the service's.
/// </summary>
public sealed record DiscordTarget(string WebhookUrl, string? Username, string? AvatarUrl)
{
    private const string Shape = "the target must be 'https://discord.com/api/webhooks/ID/TOKEN', ['webhook URL'] or {'webhook_url': …, 'username': …, 'avatar_url': …}";

    public static DiscordTarget From(DiscordOptions service, object? descriptor)
    {
        string? url, username = null, avatar = null;
        if (Descriptor.Named(descriptor) is { } named)
        {
            var unknown = named.Keys.Except(["webhook_url", "username", "avatar_url"]).ToList();
            if (unknown.Count > 0)
            {
                throw new FormatException($"unknown key(s) in the target: {string.Join(", ", unknown)} ({Shape})");
            }

            url = Text(named.GetValueOrDefault("webhook_url"));
            username = Text(named.GetValueOrDefault("username"));
            avatar = Text(named.GetValueOrDefault("avatar_url"));
        }
        else
        {
            var items = Descriptor.Items(descriptor);
            url = items.Count == 1 ? Text(items[0]) : throw new FormatException(Shape);
        }

        if (url is null)
        {
            throw new FormatException(Shape);
        }

        if (!IsHttpUrl(url))
        {
            throw new FormatException("the target's webhook URL must be an http(s) URL");
        }

        avatar ??= service.AvatarUrl;
        if (avatar is not null && !IsHttpUrl(avatar))
        {
            throw new FormatException("the target's avatar_url must be an http(s) URL");
        }

        return new DiscordTarget(url, username ?? service.Username, avatar);
    }

    public static bool IsHttpUrl(string value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static string? Text(object? value) => OptionValues.ToText(value) is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
