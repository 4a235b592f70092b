using Hub.Config;
using Hub.Graph;
using Hub.Hosting;
using Hub.PluginHost;
using Hub.Runtime;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hub.Tests.Support;

/// <summary>
/// <c>hub run</c>'s Generic Host inside the test process (no signal handlers): the configuration at
/// <c>iniPath</c>, its embedded broker on the port it picked, its web endpoint at <see cref="WebAddress"/>.
/// </summary>
internal sealed class InProcessHub : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly EmbeddedBrokerService? _broker;

    private InProcessHub(IHost host, HubRuntime runtime, EmbeddedBrokerService? broker, CollectingLogger logs)
    {
        _host = host;
        Runtime = runtime;
        _broker = broker;
        Logs = logs;
    }

    public HubRuntime Runtime { get; }

    public CollectingLogger Logs { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>The embedded broker's plain TCP port.</summary>
    public int BrokerPort => _broker?.Server?.Endpoints[0].Port ?? throw new InvalidOperationException("no embedded broker");

    /// <summary>Where Kestrel listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri WebAddress => new(_host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>mosquitto_pub to the embedded broker; fails the test if it exits non-zero.</summary>
    public async Task PublishAsync(string topic, string message)
    {
        var port = BrokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var result = await ProcessRunner.RunAsync("mosquitto_pub", ["-h", "127.0.0.1", "-p", port, "-t", topic, "-m", message], MosquittoClients.DefaultTimeout);
        Assert.True(result.ExitCode == 0, $"mosquitto_pub failed: {result}");
    }

    /// <summary>Builds and starts the hub of <paramref name="iniPath"/>; <paramref name="configure"/> sees the runtime before it starts.</summary>
    public static async Task<InProcessHub> StartAsync(string iniPath, CollectingLogger? logs = null, Action<HubRuntime>? configure = null)
    {
        logs ??= new CollectingLogger();
        var publisher = new LatePublisher();
        var built = GraphBuilder.Build(iniPath, new GraphEnvironment { Publisher = publisher, Loggers = logs });
        var graph = built.Graph ?? throw new InvalidOperationException(string.Join('\n', built.Errors));
        var config = graph.Config;
        var broker = config.Broker is { } options ? new EmbeddedBrokerService(options, logs) : null;
        var (runtime, errors) = HubRuntime.Create(graph, publisher, logs, null, config.BrokerInProcess ? broker?.InProcessTransport() : null);
        if (runtime is null)
        {
            throw new InvalidOperationException(string.Join('\n', errors));
        }

        configure?.Invoke(runtime);
        var host = HubHost.Build(runtime, broker, logs, signals: false);
        await host.StartAsync();
        return new InProcessHub(host, runtime, broker, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}
