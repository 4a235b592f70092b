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
}
