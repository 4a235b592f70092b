using System.Globalization;
using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// A target's chat: a numeric id (<c>#123</c>, a number, or any integer with <c>use_chat_id</c>), an
/// <c>@username</c> (sent as is), or a first name to look up with <c>getUpdates</c>.
/// </summary>
public sealed record TelegramChat(long? Id, string? Username, string? FirstName)
{
    public static TelegramChat From(object? descriptor, bool useChatId)
    {
        var items = Descriptor.Items(descriptor);
        if (items.Count != 1)
        {
            throw new FormatException("the target must be ['contact']: a first name, '@username' or '#chat_id'");
        }

        var contact = items[0] is long number ? number.ToString(CultureInfo.InvariantCulture) : OptionValues.ToText(items[0])?.Trim();
        if (string.IsNullOrEmpty(contact))
        {
            throw new FormatException("the target's contact must not be empty");
        }

        if (useChatId || items[0] is long)
        {
            return new TelegramChat(ParseId(contact, "with use_chat_id the target must be a numeric chat id"), null, null);
        }

        return contact[0] switch
        {
            '#' => new TelegramChat(ParseId(contact[1..], "'#chat_id' must be a number"), null, null),
            '@' when contact.Length > 1 => new TelegramChat(null, contact, null),
            _ => new TelegramChat(null, null, contact),
        };
    }

    private static long ParseId(string text, string problem) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? id : throw new FormatException($"{problem} (got '{text}')");
}
