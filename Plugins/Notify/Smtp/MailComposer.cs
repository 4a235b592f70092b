using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Hub.Plugins.Notify;

/// <summary>
/// Builds the RFC 5322 message of one notification: text/plain (us-ascii 7bit, or utf-8
/// quoted-printable), or multipart/alternative with the same text as HTML (<c>htmlmsg</c>).
/// Every header value comes from <see cref="MailEncoding"/>, so no payload data can add a header.
/// </summary>
public static class MailComposer
{
    public const string DefaultSubject = "hub notification";

    public static string Compose(MailAddress from, IReadOnlyList<MailAddress> to, string? title, string text, bool html, DateTimeOffset date)
    {
        var headers = new StringBuilder();
        var subject = string.IsNullOrEmpty(title) ? DefaultSubject : title;
        Header(headers, "Subject", MailEncoding.Unstructured(subject, "Subject".Length));
        Header(headers, "From", from.ToHeader());
        Header(headers, "To", string.Join(",\r\n ", to.Select(a => a.ToHeader())));
        Header(headers, "Date", date.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture) + date.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", "", StringComparison.Ordinal));
        Header(headers, "Message-ID", $"<{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}@{Domain(from.Address)}>");
        Header(headers, "X-Mailer", "hub");
        Header(headers, "MIME-Version", "1.0");
        if (!html)
        {
            return headers + Part(text, "plain");
        }

        var boundary = "=_hub_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        return headers
            + $"Content-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n"
            + $"--{boundary}\r\n" + Part(text, "plain") + "\r\n"
            + $"--{boundary}\r\n" + Part(text, "html") + "\r\n"
            + $"--{boundary}--\r\n";
    }

    // A part's own headers, a blank line and its body.
    private static string Part(string text, string subtype)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        if (lines.All(l => l.Length <= 998 && l.All(c => c is '\t' or (>= ' ' and <= '~'))))
        {
            return $"Content-Type: text/{subtype}; charset=\"us-ascii\"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" + string.Join("\r\n", lines) + "\r\n";
        }

        return $"Content-Type: text/{subtype}; charset=\"utf-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + MailEncoding.QuotedPrintable(text) + "\r\n";
    }

    private static void Header(StringBuilder headers, string name, string value) => headers.Append(name).Append(": ").Append(value).Append("\r\n");

    private static string Domain(string address) =>
        address.LastIndexOf('@') is var at and >= 0 && MailEncoding.IsPlainAscii(address[(at + 1)..]) ? address[(at + 1)..] : "localhost";
}
