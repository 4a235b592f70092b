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
        if (!config.BrokerInProcess)
        {
            broker?.OpenListeners(); // the hub may be a TCP client of its own broker
        }

        var run = runtime.RunAsync(stop.Token);
        _ = AnnounceReadyAsync(runtime.Ready, run, broker, logger, BrokerPatience);
        await run.ConfigureAwait(false);
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

    /// <summary>How long the embedded broker's listeners wait for the hub's own subscriptions before they open anyway.</summary>
    private static readonly TimeSpan BrokerPatience = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Opens the embedded broker's listeners once the hub's own client has subscribed (<paramref name="ready"/>), so a
    /// device publishing the moment the port opens reaches the routes, then logs the one "Hub ready" line. Should the
    /// subscriptions not come within <paramref name="patience"/> (a refused CONNECT, say) the listeners open all the same.
    /// </summary>
    internal static async Task AnnounceReadyAsync(Task ready, Task run, BrokerServer? broker, ILogger logger, TimeSpan patience)
    {
        if (broker is not null)
        {
            using var giveUp = new CancellationTokenSource();
            var first = await Task.WhenAny(ready, run, Task.Delay(patience, giveUp.Token)).ConfigureAwait(false);
            await giveUp.CancelAsync().ConfigureAwait(false);
            if (first == run)
            {
                return;
            }

            if (first != ready)
            {
                logger.LogWarning("The hub's own client has not subscribed after {Patience}s; opening the broker's listeners anyway", patience.TotalSeconds);
            }

            broker.OpenListeners();
        }

        if (await Task.WhenAny(ready, run).ConfigureAwait(false) == ready)
        {
            logger.LogInformation("Hub ready: subscribed{Broker}", broker is null ? "" : $", broker listening on {broker.ListenerText}");
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
            return await BrokerServer.StartAsync(options, loggers, open: false).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or InvalidOperationException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            await cli.Error.WriteLineAsync($"hub: cannot start the broker: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }
}
