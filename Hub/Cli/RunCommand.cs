using System.Runtime.InteropServices;
using Hub.Broker;
using Hub.Config;
using Hub.Graph;
using Hub.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Cli;

/// <summary><c>hub run</c>: connect, route, deliver until SIGTERM or Ctrl-C; then drain and exit 0.</summary>
internal static class RunCommand
{
    public static async Task<int> ExecuteAsync(string? configOption, CliContext cli)
    {
        // The same graph builder as `hub check`: what it refuses, run refuses, with the same FILE:LINE lines.
        var path = ConfigSource.ResolvePath(configOption);
        var loaded = ConfigLoader.Load(path);
        using var loggers = loaded.Config is { } valid ? ConfigSource.CreateLoggers(valid.Defaults) : new NullLoggerFactory();
        var logger = loggers.CreateLogger("hub");
        var publisher = new LatePublisher();
        var built = GraphBuilder.Build(path, loaded, ConfigSource.GraphEnvironment(cli) with { Loggers = loggers, Publisher = publisher });
        ConfigSource.Print(built.Diagnostics, cli);
        if (built.Graph is not { } graph)
        {
            return ExitCodes.ConfigError;
        }

        var config = graph.Config;
        await using var broker = await StartBrokerAsync(config, loggers, cli).ConfigureAwait(false);
        if (config.Broker is not null && broker is null)
        {
            await graph.DisposeAsync(unload: true).ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        var (runtime, errors) = HubRuntime.Create(graph, publisher, loggers, null, config.BrokerInProcess ? broker?.CreateInProcessTransport() : null);
        if (runtime is null)
        {
            graph.Catalog.Unload();
            return ConfigSource.PrintErrors(errors, cli);
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Reload);
        SignalMask.UnblockHandledSignals();
        await runtime.RunAsync(stop.Token).ConfigureAwait(false);
        return ExitCodes.Ok;

        // The broker starts before the hub's client and stops after it (await using above).
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

    /// <summary>Starts the embedded broker when <c>[broker]</c> enables it; null (after saying why) when it cannot start.</summary>
    private static async Task<BrokerServer?> StartBrokerAsync(Config.HubConfig config, ILoggerFactory loggers, CliContext cli)
    {
        if (config.Broker is not { } options)
        {
            return null;
        }

        try
        {
            return await BrokerServer.StartAsync(options, loggers).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or InvalidOperationException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            await cli.Error.WriteLineAsync($"hub: cannot start the broker: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }
}
