using MimeKit;
using MimeKit.Utils;

namespace Hub.Plugins.Notify;

/// <summary>
/// Builds the MIME message of one notification with MimeKit: text/plain, or multipart/alternative
/// with the same text as HTML (<c>htmlmsg</c>); images go inline, each with a Content-ID (in a
/// multipart/related beside the HTML, which shows them). MimeKit encodes and folds the headers
/// (RFC 2047); the subject is one line, so payload data can never add a header.
/// </summary>
public static class MailComposer
{
    public const string DefaultSubject = "hub notification";

    public static MimeMessage Compose(MailAddress from, IReadOnlyList<MailAddress> to, string? title, string text, bool html, IReadOnlyList<MailImage> images, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(images);
        var message = new MimeMessage { Subject = OneLine(string.IsNullOrEmpty(title) ? DefaultSubject : title), Date = date };
        message.From.Add(from.ToMailbox());
        message.To.AddRange(to.Select(a => a.ToMailbox()));
        message.MessageId = MimeUtils.GenerateMessageId(Domain(from.Address));
        message.Headers.Add("X-Mailer", "hub");

        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (!text.EndsWith('\n'))
        {
            text += "\n";
        }

        var builder = new BodyBuilder { TextBody = text };
        if (html)
        {
            builder.HtmlBody = text + string.Concat(images.Where(i => !text.Contains("cid:" + i.ContentId, StringComparison.Ordinal))
                .Select(i => $"<p><img src=\"cid:{i.ContentId}\" alt=\"{i.FileName}\"></p>\n"));
        }

        foreach (var image in images)
        {
            // Beside HTML the images are linked resources (multipart/related), otherwise inline attachments.
            var part = html
                ? builder.LinkedResources.Add(image.FileName, image.Bytes, ContentType.Parse(image.MediaType))
                : builder.Attachments.Add(image.FileName, image.Bytes, ContentType.Parse(image.MediaType));
            part.ContentId = image.ContentId;
            part.ContentDisposition = new ContentDisposition(ContentDisposition.Inline) { FileName = image.FileName };
        }

        message.Body = builder.ToMessageBody();
        foreach (var part in message.BodyParts.OfType<TextPart>())
        {
            // Plain ASCII as 7bit; anything else UTF-8 quoted-printable: short lines that pass any relay.
            var body = part.Text;
            var ascii = body.Split('\n').All(l => l.Length <= 998 && l.All(c => c is '\t' or (>= ' ' and <= '~')));
            part.SetText(ascii ? "us-ascii" : "utf-8", body);
            part.ContentTransferEncoding = ascii ? ContentEncoding.SevenBit : ContentEncoding.QuotedPrintable;
        }

        return message;
    }

    /// <summary>Header text on one line: control characters (CR, LF, TAB…) become spaces.</summary>
    public static string OneLine(string text) =>
        string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });

    private static string Domain(string address) =>
        address.LastIndexOf('@') is var at and >= 0 && address[(at + 1)..].All(char.IsAscii) ? address[(at + 1)..] : "localhost";
}
