using System.Text;
using System.Text.Json;

namespace Hub.Tests.Support;

/// <summary>
/// One message as the test server received it: the envelope, the raw bytes, and what Python's
/// e-mail parser made of them (decoded subject, the parts' decoded text).
/// </summary>
public sealed record ReceivedMail(string Peer, string MailFrom, IReadOnlyList<string> RcptTos, byte[] Content,
    IReadOnlyList<(string Name, string Value)> Headers, string Subject, IReadOnlyList<ReceivedPart> Parts, IReadOnlyList<string> Defects)
{
    /// <summary>The content types of the multipart containers, outermost first (e.g. multipart/alternative, multipart/related).</summary>
    public IReadOnlyList<string> Multiparts { get; init; } = [];

    public string Raw => Encoding.UTF8.GetString(Content);

    public string? Header(string name) => Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    internal static ReceivedMail Read(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        return new ReceivedMail(
            root.GetProperty("peer").GetString()!,
            root.GetProperty("mail_from").GetString()!,
            [.. root.GetProperty("rcpt_tos").EnumerateArray().Select(e => e.GetString()!)],
            Convert.FromBase64String(root.GetProperty("content").GetString()!),
            [.. root.GetProperty("headers").EnumerateArray().Select(e => (e[0].GetString()!, e[1].GetString()!))],
            root.GetProperty("subject").GetString()!,
            [.. root.GetProperty("parts").EnumerateArray().Select(p => new ReceivedPart(
                p.GetProperty("type").GetString()!, p.GetProperty("charset").GetString(), p.GetProperty("cte").GetString(), p.GetProperty("text").GetString()!)
            {
                ContentId = p.GetProperty("content_id").GetString(),
                Disposition = p.GetProperty("disposition").GetString(),
                FileName = p.GetProperty("filename").GetString(),
                Data = p.TryGetProperty("data", out var data) ? Convert.FromBase64String(data.GetString()!) : [],
            })],
            [.. root.GetProperty("defects").EnumerateArray().Select(e => e.GetString()!)])
        {
            Multiparts = [.. root.GetProperty("multiparts").EnumerateArray().Select(e => e.GetString()!)],
        };
    }
}
