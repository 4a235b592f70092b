using Hub.Hosting;
using Hub.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hub.Cli;

/// <summary><c>hub run</c>: connect, route, deliver until SIGTERM or Ctrl-C; then drain and exit 0. Composed by <see cref="HubHost"/>.</summary>
internal static class RunCommand
{
    public static async Task<int> ExecuteAsync(string? configOption, CliContext cli)
    {
        // Before any other thread exists, so every thread inherits the unblocked mask.
        SignalMask.UnblockHandledSignals();
        var config = ConfigSource.Load(configOption, cli);
        if (config is null)
        {
            return ExitCodes.ConfigError;
        }

        using var loggers = ConfigSource.CreateLoggers(config.Defaults);
        var logger = loggers.CreateLogger("hub");
        var catalog = ConfigSource.DiscoverPlugins(config, cli, report: false);
        foreach (var error in catalog.Errors)
        {
            logger.LogWarning("Plugin not loaded: {Path}: {Reason}", error.Path, error.Reason);
        }

        // The runtime is built before anything listens: plugin and target errors come first, with exit code 2.
        await using var broker = config.Broker is { } options ? new EmbeddedBrokerService(options, loggers) : null;
        var (runtime, errors) = HubRuntime.Create(config, catalog, loggers, null, config.BrokerInProcess ? broker?.InProcessTransport() : null);
        if (runtime is null)
        {
            return ConfigSource.PrintErrors(errors, cli);
        }

        using var host = HubHost.Build(runtime, broker, loggers);
        try
        {
            await host.StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HostStartException or IOException or System.Net.Sockets.SocketException or InvalidOperationException or UnauthorizedAccessException)
        {
            await cli.Error.WriteLineAsync(ex is HostStartException ? $"hub: {ex.Message}" : $"hub: cannot start: {ex.Message}").ConfigureAwait(false);
            await host.StopAsync().ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        await host.WaitForShutdownAsync().ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
