using System.Net;

namespace Hub.Config.Values;

/// <summary>Which <c>listen</c> hosts stay on this machine (no token needed) and which IP addresses they bind.</summary>
internal static class WebAddress
{
    /// <summary>True for <c>localhost</c> and the loopback addresses (<c>127.0.0.0/8</c>, <c>::1</c>).</summary>
    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    /// <summary>The addresses to bind: <c>localhost</c> is both loopbacks; <c>*</c> and <c>0.0.0.0</c> every IPv4 interface.</summary>
    public static IReadOnlyList<IPAddress> Resolve(string host) => host switch
    {
        _ when string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) => [IPAddress.Loopback],
        "*" => [IPAddress.Any],
        _ when IPAddress.TryParse(host, out var address) => [address],
        _ => Dns.GetHostAddresses(host),
    };
}
