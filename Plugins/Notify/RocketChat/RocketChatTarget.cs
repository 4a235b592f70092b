using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One resolved <c>rocketchat</c> target: an incoming-webhook URL, or a room for the REST API
/// (<c>'#channel'</c>, <c>'@user'</c>, or a room id), as text, as <c>[room or webhook URL, alias?, emoji?]</c>,
/// or as a dict <c>{webhook_url | channel, alias, emoji, avatar}</c>.
/// </summary>
public sealed record RocketChatTarget(string? WebhookUrl, string? Channel, string? Alias, string? Emoji, string? Avatar)
{
    private const string Shape = "the target must be a webhook URL or a '#channel' / '@user', ['#channel' or webhook URL, 'alias'?, ':emoji:'?], or {'webhook_url' or 'channel': …, 'alias': …, 'emoji': …, 'avatar': …}";

    public bool UsesWebhook => WebhookUrl is not null;

    public static RocketChatTarget From(RocketChatOptions service, object? descriptor)
    {
        string? first, channel = null, webhook = null, alias, emoji, avatar = null;
        if (Descriptor.Named(descriptor) is { } named)
        {
            var unknown = named.Keys.Except(["webhook_url", "channel", "alias", "emoji", "avatar"]).ToList();
            if (unknown.Count > 0)
            {
                throw new FormatException($"unknown key(s) in the target: {string.Join(", ", unknown)}");
            }

            webhook = Text(named.GetValueOrDefault("webhook_url"));
            channel = Text(named.GetValueOrDefault("channel"));
            (alias, emoji, avatar) = (Text(named.GetValueOrDefault("alias")), Text(named.GetValueOrDefault("emoji")), Text(named.GetValueOrDefault("avatar")));
            if (webhook is not null && !IsHttpUrl(webhook))
            {
                throw new FormatException("the target's webhook_url must be an http(s) URL");
            }
        }
        else
        {
            var items = Descriptor.Items(descriptor);
            first = items.Count is >= 1 and <= 3 ? Text(items[0]) : null;
            if (first is null)
            {
                throw new FormatException(Shape);
            }

            (alias, emoji) = (Text(items.ElementAtOrDefault(1)), Text(items.ElementAtOrDefault(2)));
            if (first.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || first.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                webhook = IsHttpUrl(first) ? first : throw new FormatException("the target's webhook URL is not a valid URL");
            }
            else
            {
                channel = first;
            }
        }

        if (webhook is null && channel is null)
        {
            throw new FormatException(Shape);
        }

        if (webhook is null && !service.HasRestApi)
        {
            throw new FormatException("a channel target posts with the REST API: set server_url, user_id and auth_token on the service (or give the target a webhook_url)");
        }

        if (avatar is not null && !IsHttpUrl(avatar))
        {
            throw new FormatException("the target's avatar must be an http(s) URL");
        }

        return new RocketChatTarget(webhook, channel, alias, emoji, avatar);
    }

    public static bool IsHttpUrl(string value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static string? Text(object? value) => OptionValues.ToText(value) is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
