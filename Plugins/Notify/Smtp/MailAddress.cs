using MimeKit;

namespace Hub.Plugins.Notify;

/// <summary>
/// One address as written in the configuration: <c>user@example.org</c> or <c>Name &lt;user@example.org&gt;</c>.
/// Control characters (CR, LF) are refused, so an address can never start a header of its own.
/// </summary>
public sealed record MailAddress(string DisplayName, string Address)
{
    public static bool TryParse(string? text, out MailAddress address, out string? problem)
    {
        address = new MailAddress("", "");
        problem = null;
        text = text?.Trim() ?? "";
        if (text.Length == 0)
        {
            problem = "must be an e-mail address";
            return false;
        }

        if (text.Any(char.IsControl))
        {
            problem = "must not contain control characters (line breaks)";
            return false;
        }

        var display = "";
        var addr = text;
        var open = text.LastIndexOf('<');
        if (open >= 0)
        {
            if (!text.EndsWith('>'))
            {
                problem = $"'{text}' is not an address (Name <user@host>)";
                return false;
            }

            display = text[..open].Trim().Trim('"').Trim();
            addr = text[(open + 1)..^1].Trim();
        }

        if (addr.Length == 0 || addr.Any(c => char.IsWhiteSpace(c) || c is '<' or '>' or '"' or ',' or ';') || addr.Count(c => c == '@') > 1
            || addr.StartsWith('@') || addr.EndsWith('@'))
        {
            problem = $"'{text}' is not an address (user@host or Name <user@host>)";
            return false;
        }

        address = new MailAddress(display, addr);
        return true;
    }

    /// <summary>The MimeKit mailbox: MimeKit quotes or RFC 2047-encodes the display name in the header.</summary>
    public MailboxAddress ToMailbox() => new(DisplayName, Address);
}
