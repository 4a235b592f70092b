using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One <c>gotify</c> target: <c>[token?]</c>, the token as text, or <c>{token?, url?}</c>; what is
/// missing comes from the options.
/// </summary>
public sealed record GotifyTarget(string Url, string Token)
{
    public static GotifyTarget From(GotifyOptions service, object? descriptor)
    {
        string? token, url = null;
        if (Descriptor.Named(descriptor) is { } named)
        {
            if (named.Keys.FirstOrDefault(k => k is not ("token" or "url")) is { } unknown)
            {
                throw new FormatException($"unknown key '{unknown}' (known: token, url)");
            }

            token = Text(named.GetValueOrDefault("token"));
            url = Text(named.GetValueOrDefault("url"));
        }
        else if (Descriptor.Items(descriptor) is { Count: <= 1 } items && items.All(i => i is null or string))
        {
            token = Text(items.FirstOrDefault());
        }
        else
        {
            throw new FormatException("the target must be ['app token'], [] (the service's token) or {'token': …, 'url': …}");
        }

        url ??= service.Url;
        if (!HttpSend.IsHttpUrl(url))
        {
            throw new FormatException("the target's url must be an http(s) URL");
        }

        return new GotifyTarget(url, token ?? Text(service.Token) ?? throw new FormatException("no application token: set token on [config:gotify] or in the target"));
    }

    private static string? Text(object? value) => OptionValues.ToText(value)?.Trim() is { Length: > 0 } text ? text : null;
}
