using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>One resolved <c>msteams</c> target: the webhook URL as text or <c>['url']</c>, or <c>{webhook_url, card}</c>.</summary>
public sealed record MsTeamsTarget(string WebhookUrl, MsTeamsCard Card)
{
    private const string Shape = "the target must be the webhook URL, ['webhook URL'] or {'webhook_url': …, 'card': 'adaptive' or 'message_card'}";

    public static MsTeamsTarget From(MsTeamsOptions service, object? descriptor)
    {
        string? url;
        var card = service.Card;
        if (Descriptor.Named(descriptor) is { } named)
        {
            var unknown = named.Keys.Except(["webhook_url", "card"]).ToList();
            if (unknown.Count > 0)
            {
                throw new FormatException($"unknown key(s) in the target: {string.Join(", ", unknown)} ({Shape})");
            }

            url = Text(named.GetValueOrDefault("webhook_url"));
            if (Text(named.GetValueOrDefault("card")) is { } text)
            {
                card = text.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant() switch
                {
                    "adaptive" => MsTeamsCard.Adaptive,
                    "messagecard" => MsTeamsCard.MessageCard,
                    _ => throw new FormatException($"the target's card must be 'adaptive' or 'message_card' (got '{text}')"),
                };
            }
        }
        else
        {
            var items = Descriptor.Items(descriptor);
            url = items.Count == 1 ? Text(items[0]) : null;
        }

        if (url is null)
        {
            throw new FormatException(Shape);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new FormatException("the target's webhook URL must be an http(s) URL");
        }

        return new MsTeamsTarget(url, card);
    }

    private static string? Text(object? value) => OptionValues.ToText(value) is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
