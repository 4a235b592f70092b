using Hub.Config;
using Hub.Delivery;
using Hub.PluginHost;
using Hub.Runtime;
using Microsoft.Extensions.Logging;

namespace Hub.Cli;

/// <summary>
/// The sink plugins of a configuration, created and initialised outside <c>hub run</c> (no broker): what
/// <c>hub notify</c> and <c>hub dlq replay</c> deliver through, each call under the service's timeout.
/// </summary>
internal sealed class OfflineSinks : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly ServiceInstances _services;
    private readonly HubConfig _config;

    private OfflineSinks(HubConfig config, ILoggerFactory loggers, ServiceInstances services)
    {
        _config = config;
        _loggers = loggers;
        _services = services;
    }

    /// <summary>Creates the plugin instances; on a problem, prints it and returns the exit code instead.</summary>
    public static async Task<(OfflineSinks? Sinks, int ExitCode)> CreateAsync(HubConfig config, CliContext cli, CancellationToken cancellationToken)
    {
        var loggers = ConfigSource.CreateLoggers(config.Defaults);
        var catalog = ConfigSource.DiscoverPlugins(config, cli, report: false);
        var services = ServiceInstances.Create(config, catalog, loggers, OfflinePublisher.Instance, TimeProvider.System);
        var sinks = new OfflineSinks(config, loggers, services);
        if (services.Errors.Count > 0)
        {
            await sinks.DisposeAsync().ConfigureAwait(false);
            return (null, ConfigSource.PrintErrors(services.Errors, cli));
        }

        if (await services.InitializeAsync(config, cancellationToken).ConfigureAwait(false) is { Count: > 0 } initErrors)
        {
            ConfigSource.PrintErrors(initErrors, cli);
            await sinks.DisposeAsync().ConfigureAwait(false);
            return (null, ExitCodes.Failure);
        }

        return (sinks, ExitCodes.Ok);
    }

    /// <summary>The running wrapper of <paramref name="service"/>'s sink, or null when its plugin is not a sink.</summary>
    public RunningSink? For(ServiceConfig service) =>
        _services.Sinks.TryGetValue(service.Name, out var instance)
            ? new RunningSink(service.Name, instance, ServiceSettings.Timeout(service, _config.Defaults), _loggers.CreateLogger("hub.delivery"))
            : null;

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync().ConfigureAwait(false);
        _loggers.Dispose();
    }
}
