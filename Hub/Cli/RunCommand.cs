using Hub.Broker;
using Hub.Config;
using Hub.Graph;
using Hub.Hosting;
using Hub.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Cli;

/// <summary><c>hub run</c>: connect, route, deliver until SIGTERM or Ctrl-C; then drain and exit 0. Composed by <see cref="HubHost"/>.</summary>
internal static class RunCommand
{
    public static async Task<int> ExecuteAsync(string? configOption, CliContext cli)
    {
        // Before any other thread exists, so every thread inherits the unblocked mask.
        SignalMask.UnblockHandledSignals();

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

        // The runtime is built before anything listens: plugin and target errors come first, with exit code 2.
        // A hub that is a TCP client of its own broker needs the listeners at once; in-process, they open once the
        // hub's own subscriptions exist (AnnounceReadyAsync), so a device publishing at the first moment reaches the routes.
        var config = graph.Config;
        await using var broker = config.Broker is { } options ? new EmbeddedBrokerService(options, loggers, openAtStart: !config.BrokerInProcess) : null;
        HubRuntime? runtime;
        IReadOnlyList<ConfigDiagnostic> errors;
        try
        {
            (runtime, errors) = HubRuntime.Create(graph, publisher, loggers, null, config.BrokerInProcess ? broker?.InProcessTransport() : null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The state directory: a journal this version cannot read (a newer version's), or one it may not open.
            await cli.Error.WriteLineAsync($"hub: cannot start: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        if (runtime is null)
        {
            graph.Catalog.Unload();
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

        var stopped = host.WaitForShutdownAsync();
        _ = AnnounceReadyAsync(runtime.Ready, stopped, broker?.Server, logger, BrokerPatience);
        await stopped.ConfigureAwait(false);
        return ExitCodes.Ok;
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
}
