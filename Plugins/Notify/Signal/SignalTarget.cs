using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One <c>signal</c> target: a list of recipients (phone numbers, <c>group.…</c> ids, usernames),
/// one recipient as text, or <c>{number?, recipients}</c> with its own sending account.
/// </summary>
public sealed record SignalTarget(string Number, IReadOnlyList<string> Recipients)
{
    public static SignalTarget From(SignalOptions service, object? descriptor)
    {
        string? number = null;
        object? recipients = descriptor;
        if (Descriptor.Named(descriptor) is { } named)
        {
            if (named.Keys.FirstOrDefault(k => k is not ("number" or "recipients")) is { } unknown)
            {
                throw new FormatException($"unknown key '{unknown}' (known: number, recipients)");
            }

            number = Text(named.GetValueOrDefault("number"));
            recipients = named.GetValueOrDefault("recipients");
        }

        var list = Descriptor.Items(recipients);
        if (list.Count == 0 || list.Any(r => Text(r) is null))
        {
            throw new FormatException("the target must be a list of recipients ['+4915…', 'group.…'] or {'number': sender, 'recipients': […]}");
        }

        number ??= Text(service.Number) ?? throw new FormatException("no sending number: set number on [config:signal] or in the target");
        return new SignalTarget(number, [.. list.Select(r => Text(r)!)]);
    }

    private static string? Text(object? value) => value is string s && s.Trim() is { Length: > 0 } text ? text : null;
}
