using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One resolved <c>slack</c> target. mqttwarn's list <c>[token?, channel, username, icon_emoji]</c>
/// (username and icon optional here), or a dict <c>{channel, username, icon_emoji, token, webhook_url}</c>.
/// The target's token or webhook wins over the service's; a token means <c>chat.postMessage</c>.
/// </summary>
public sealed record SlackTarget(string? Token, string? WebhookUrl, string? Channel, string? Username, string? IconEmoji)
{
    public bool UsesWebhook => Token is null;

    public static SlackTarget From(SlackOptions service, object? descriptor)
    {
        string? token = null, webhook = null, channel, username, icon;
        if (Descriptor.Named(descriptor) is { } named)
        {
            token = Text(named.GetValueOrDefault("token"));
            webhook = Text(named.GetValueOrDefault("webhook_url"));
            channel = Text(named.GetValueOrDefault("channel"));
            username = Text(named.GetValueOrDefault("username"));
            icon = Text(named.GetValueOrDefault("icon_emoji"));
        }
        else
        {
            var items = Descriptor.Items(descriptor).Select(i => Text(i)).ToList();
            if (items.Count == 4)
            {
                token = items[0];
                items.RemoveAt(0);
            }
            else if (items.Count is 0 or > 4)
            {
                throw new FormatException("the target must be ['#channel', 'username'?, ':icon_emoji:'?], [token, '#channel', 'username', ':icon_emoji:'] or a dict");
            }

            (channel, username, icon) = (items[0], items.ElementAtOrDefault(1), items.ElementAtOrDefault(2));
        }

        if (webhook is null)
        {
            token ??= Text(service.Token);
            webhook = token is null ? Text(service.WebhookUrl) : null;
        }
        else
        {
            token = null;
        }

        if (token is null && webhook is null)
        {
            throw new FormatException("no token and no webhook_url: set one on [config:slack] or in the target");
        }

        if (token is not null && channel is null)
        {
            throw new FormatException("chat.postMessage needs a channel in the target");
        }

        if (webhook is not null && (!Uri.TryCreate(webhook, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            throw new FormatException("webhook_url must be an http(s) URL");
        }

        return new SlackTarget(token, webhook, channel, username, icon);
    }

    private static string? Text(object? value) => OptionValues.ToText(value) is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
