using Hub.Config;
using Hub.Delivery;
using Hub.Graph;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Cli;

/// <summary>
/// The sink plugins of a configuration, built by the same graph builder as <c>hub run</c> and initialised, without a
/// broker: what <c>hub notify</c> and <c>hub dlq replay</c> deliver through, each call under the target's timeout.
/// </summary>
internal sealed class OfflineSinks : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;

    private OfflineSinks(HubGraph graph, ILoggerFactory loggers)
    {
        Graph = graph;
        _loggers = loggers;
    }

    public HubGraph Graph { get; }

    /// <summary>Builds the graph and initialises its plugins; on a problem, prints it and returns the exit code instead.</summary>
    public static async Task<(OfflineSinks? Sinks, int ExitCode)> CreateAsync(string? configOption, CliContext cli, CancellationToken cancellationToken)
    {
        var path = ConfigSource.ResolvePath(configOption);
        var loaded = ConfigLoader.Load(path);
        var loggers = loaded.Config is { } config ? ConfigSource.CreateLoggers(config.Defaults) : NullLoggerFactory.Instance;
        var built = GraphBuilder.Build(path, loaded, ConfigSource.GraphEnvironment(cli) with { Loggers = loggers });
        if (built.Graph is not { } graph)
        {
            loggers.Dispose();
            return (null, ConfigSource.PrintErrors(built.Errors, cli));
        }

        var sinks = new OfflineSinks(graph, loggers);
        if (await graph.Services.InitializeAsync(graph.Config, cancellationToken).ConfigureAwait(false) is { Count: > 0 } initErrors)
        {
            ConfigSource.PrintErrors(initErrors, cli);
            await sinks.DisposeAsync().ConfigureAwait(false);
            return (null, ExitCodes.Failure);
        }

        return (sinks, ExitCodes.Ok);
    }

    /// <summary>The running wrapper of <paramref name="target"/>'s sink, or null when its service's plugin is not a sink.</summary>
    public RunningSink? For(BoundTarget target) =>
        target.Sink is { } sink ? new RunningSink(target.Service.Name, sink, target.Timeout, _loggers.CreateLogger("hub.delivery")) : null;

    public async ValueTask DisposeAsync()
    {
        await Graph.DisposeAsync(unload: true).ConfigureAwait(false);
        _loggers.Dispose();
    }
}
