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
                p.GetProperty("type").GetString()!, p.GetProperty("charset").GetString(), p.GetProperty("cte").GetString(), p.GetProperty("text").GetString()!))],
            [.. root.GetProperty("defects").EnumerateArray().Select(e => e.GetString()!)]);
    }
}
