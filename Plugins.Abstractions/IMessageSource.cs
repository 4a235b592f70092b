namespace Hub.Plugins;

/// <summary>
/// A source: brings messages in from elsewhere (HTTP, a database poller, syslog, another broker) and
/// publishes them with <see cref="IPluginContext.Publisher"/>, so they flow through the routes like any other.
/// </summary>
public interface IMessageSource
{
    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled.</summary>
    Task RunAsync(CancellationToken stoppingToken);
}
