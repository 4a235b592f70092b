using System.Runtime.InteropServices;
using Hub.Runtime;
using Microsoft.Extensions.Logging;

namespace Hub.Cli;

/// <summary><c>hub run</c>: connect, route, deliver until SIGTERM or Ctrl-C; then drain and exit 0.</summary>
internal static class RunCommand
{
    public static async Task<int> ExecuteAsync(string? configOption, CliContext cli)
    {
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

        var (runtime, errors) = HubRuntime.Create(config, catalog, loggers);
        if (runtime is null)
        {
            return ConfigSource.PrintErrors(errors, cli);
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Reload);
        await runtime.RunAsync(stop.Token).ConfigureAwait(false);
        return ExitCodes.Ok;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            logger.LogInformation("Received {Signal}, shutting down", context.Signal);
            stop.Cancel();
        }

        void Reload(PosixSignalContext context)
        {
            context.Cancel = true;
            runtime.RequestReload("SIGHUP");
        }
    }
}
