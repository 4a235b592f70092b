using System.Globalization;

namespace Hub.Plugins.Notify;

/// <summary>The <c>server</c> option: <c>host</c>, <c>host:port</c> or <c>[v6]:port</c>.</summary>
public sealed record SmtpEndpoint(string Host, int Port)
{
    public static bool TryParse(string? text, bool implicitTls, out SmtpEndpoint endpoint, out string? problem)
    {
        endpoint = new SmtpEndpoint("", 0);
        problem = null;
        text = text?.Trim() ?? "";
        var host = text;
        var port = implicitTls ? 465 : 25;
        var colon = text.LastIndexOf(':');
        if (colon >= 0 && (text.IndexOf(':') == colon || text.StartsWith('[')))
        {
            host = text[..colon].Trim('[', ']');
            if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                problem = $"the port must be a number from 1 to 65535 (got '{text[(colon + 1)..]}')";
                return false;
            }
        }

        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            problem = $"must be host:port (got '{text}')";
            return false;
        }

        endpoint = new SmtpEndpoint(host, port);
        return true;
    }

    public override string ToString() => $"{Host}:{Port}";
}
