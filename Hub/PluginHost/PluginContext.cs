using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace Hub.PluginHost;

/// <summary>The host's implementation of <see cref="IPluginContext"/>.</summary>
internal sealed class PluginContext(
    string serviceName,
    IReadOnlyDictionary<string, object?> options,
    string configDirectory,
    ILogger logger,
    IMessagePublisher publisher,
    TimeProvider timeProvider,
    IDataFormatter formatter,
    IStateStore state) : IPluginContext
{
    public string ServiceName { get; } = serviceName;
    public IReadOnlyDictionary<string, object?> Options { get; } = options;
    public string ConfigDirectory { get; } = configDirectory;
    public ILogger Logger { get; } = logger;
    public IMessagePublisher Publisher { get; } = publisher;
    public TimeProvider TimeProvider { get; } = timeProvider;
    public IDataFormatter Formatter { get; } = formatter;
    public IStateStore State { get; } = state;

    public HttpClient CreateHttpClient() => HubHttp.CreateClient();
}
