using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One resolved <c>googlechat</c> target: the space's webhook URL as text, <c>['url', 'thread_key'?]</c>
/// or <c>{webhook_url, thread_key}</c>. The thread key is a format string (formatted per message).
/// </summary>
public sealed record GoogleChatTarget(string WebhookUrl, string? ThreadKey)
{
    private const string Shape = "the target must be the webhook URL, ['webhook URL', 'thread_key'?] or {'webhook_url': …, 'thread_key': …}";

    public static GoogleChatTarget From(GoogleChatOptions service, object? descriptor)
    {
        string? url, threadKey;
        if (Descriptor.Named(descriptor) is { } named)
        {
            var unknown = named.Keys.Except(["webhook_url", "thread_key"]).ToList();
            if (unknown.Count > 0)
            {
                throw new FormatException($"unknown key(s) in the target: {string.Join(", ", unknown)} ({Shape})");
            }

            (url, threadKey) = (Text(named.GetValueOrDefault("webhook_url")), Text(named.GetValueOrDefault("thread_key")));
        }
        else
        {
            var items = Descriptor.Items(descriptor);
            (url, threadKey) = items.Count is 1 or 2 ? (Text(items[0]), Text(items.ElementAtOrDefault(1))) : (null, null);
        }

        if (url is null)
        {
            throw new FormatException(Shape);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new FormatException("the target's webhook URL must be an http(s) URL");
        }

        return new GoogleChatTarget(url, threadKey ?? service.ThreadKey);
    }

    private static string? Text(object? value) => OptionValues.ToText(value) is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
