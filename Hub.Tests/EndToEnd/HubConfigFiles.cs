using System.Globalization;
using Hub.Tests.Support;

namespace Hub.Tests.EndToEnd;

/// <summary>Writes hub.ini files for end-to-end tests, pointing at a test broker and the built plugins.</summary>
public static class HubConfigFiles
{
    public static string Defaults(MosquittoBroker broker, string clientId, string extra = "") => $"""
        [defaults]
        hostname = '{broker.Host}'
        port = {broker.Port.ToString(CultureInfo.InvariantCulture)}
        clientid = '{clientId}'
        plugins = '{Repo.PluginDirectory}'
        loglevel = DEBUG
        shutdown_timeout = 5
        {extra}
        """;

    /// <summary>A config with one file target (append_newline) for <paramref name="topic"/>.</summary>
    public static string FileRoute(MosquittoBroker broker, string clientId, string outputPath, string topic = "test/#", string format = "{payload}", int qos = 0, string extraDefaults = "") => $$"""
        {{Defaults(broker, clientId, extraDefaults + "\nlaunch = file, log")}}

        [config:file]
        append_newline = True
        targets = { 'out': ['{{outputPath}}'] }

        [config:log]
        targets = { 'info': ['info'], 'crit': ['crit'] }

        [{{topic}}]
        targets = file:out
        qos = {{qos.ToString(CultureInfo.InvariantCulture)}}
        format = {{format}}
        """;
}
