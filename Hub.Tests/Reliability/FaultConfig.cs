using System.Globalization;
using Hub.Tests.Support;

namespace Hub.Tests.Reliability;

/// <summary>The <c>[defaults]</c> of the fault tests' hub.ini: the test broker, the built plugins, INFO logging (a line per message at DEBUG would slow the streams).</summary>
public static class FaultConfig
{
    public static string Defaults(MosquittoBroker broker, string clientId, string extra) => $"""
        [defaults]
        hostname = '{broker.Host}'
        port = {broker.Port.ToString(CultureInfo.InvariantCulture)}
        clientid = '{clientId}'
        plugins = '{Repo.PluginDirectory}'
        loglevel = INFO
        shutdown_timeout = 5
        {extra}
        """;

    /// <summary>The hub's last output lines, for the test output when something did not arrive.</summary>
    public static string Tail(HubProcess hub, int count = 80)
    {
        ArgumentNullException.ThrowIfNull(hub);
        var lines = hub.Lines.ToList();
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Count - count)).Select(l => l.Length > 300 ? l[..300] + "…" : l));
    }
}
