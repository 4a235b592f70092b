using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One <c>pushbullet</c> target (mqttwarn): <c>{access_token, recipient?, recipient_type?}</c> with
/// the type <c>device</c>, <c>email</c>, <c>channel</c> or <c>client</c>, or the list
/// <c>[apikey, device_id, type?]</c> with the type as Pushbullet's field name (<c>device_iden</c>,
/// <c>email</c>, <c>channel_tag</c>, <c>client_iden</c>). Either vocabulary is accepted in both forms.
/// </summary>
public sealed record PushbulletTarget(string AccessToken, string? Recipient, string RecipientField)
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["device"] = "device_iden", ["device_iden"] = "device_iden",
        ["email"] = "email",
        ["channel"] = "channel_tag", ["channel_tag"] = "channel_tag",
        ["client"] = "client_iden", ["client_iden"] = "client_iden",
    };

    public static PushbulletTarget From(object? descriptor)
    {
        string? token, recipient, type;
        if (Descriptor.Named(descriptor) is { } named)
        {
            if (named.Keys.FirstOrDefault(k => k is not ("access_token" or "recipient" or "recipient_type")) is { } unknown)
            {
                throw new FormatException($"unknown key '{unknown}' (known: access_token, recipient, recipient_type)");
            }

            (token, recipient, type) = (Text(named.GetValueOrDefault("access_token")), Text(named.GetValueOrDefault("recipient")), Text(named.GetValueOrDefault("recipient_type")));
        }
        else if (descriptor is IReadOnlyList<object?> { Count: 2 or 3 } items)
        {
            (token, recipient, type) = (Text(items[0]), Text(items[1]), Text(items.ElementAtOrDefault(2)));
        }
        else
        {
            throw new FormatException("the target must be [apikey, device_id, type?] or {'access_token': …, 'recipient': …, 'recipient_type': 'device'|'email'|'channel'|'client'}");
        }

        if (token is null)
        {
            throw new FormatException("the target has no access token");
        }

        if (!Fields.TryGetValue(type ?? "device", out var field))
        {
            throw new FormatException($"recipient type must be device, email, channel or client (or device_iden, channel_tag, client_iden), not '{type}'");
        }

        if (recipient is null && type is not null)
        {
            throw new FormatException("a recipient type needs a recipient");
        }

        return new PushbulletTarget(token, recipient, field);
    }

    private static string? Text(object? value) => OptionValues.ToText(value)?.Trim() is { Length: > 0 } text ? text : null;
}
