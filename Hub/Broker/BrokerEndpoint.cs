using System.Globalization;
using System.Net;

namespace Hub.Broker;

/// <summary>Parses a <c>listen</c> entry: <c>HOST:PORT</c>, <c>[v6]:PORT</c>, or a bare port (all interfaces).</summary>
internal static class BrokerEndpoint
{
    public static bool TryParse(string text, out string host, out int port)
    {
        host = "";
        port = 0;
        text = text.Trim();
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            host = "0.0.0.0";
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 0 and <= 65535;
        }

        host = text[..colon].Trim('[', ']');
        return host.Length > 0
            && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 0 and <= 65535;
    }

    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host, out var address) ? [address] : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
}
