using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Hub.Graph;
using Hub.PluginHost;
using Hub.Runtime;
using Hub.Tests.PluginHost;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Tests.EndToEnd;

/// <summary>A reload of the in-process runtime on a real mosquitto: the old plugin contexts are collected.</summary>
public sealed class HotReloadUnloadTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task After_a_reload_the_old_plugin_context_is_collected()
    {
        var path = _temp.Write("hub.ini", $$"""
            [defaults]
            hostname = '{{_broker.Host}}'
            port = {{_broker.Port.ToString(CultureInfo.InvariantCulture)}}
            clientid = 'unload'
            plugins = ['{{FixturePlugins.Install(_temp.Path, "FixtureLineSink", "FixtureTransform")}}']
            hot_reload = False
            launch = lines, upper

            [config:upper]
            module = fixture_transform

            [config:lines]
            module = fixture_lines
            path = 'out.log'
            targets = { 'out': [] }

            [unload/#]
            stages = upper
            targets = lines:out
            format = {upper}
            """);
        var runtime = Create(path);
        using var stop = new CancellationTokenSource();
        var running = runtime.RunAsync(stop.Token);
        await MosquittoClients.PublishAsync(_broker, "unload/a", "before", 1, "-r"); // retained: it arrives whenever the hub subscribes
        await FileWait.LinesAsync(_temp.File("out.log"), 1, Wait);

        var (sinkContext, stageContext) = ContextsOf(runtime);
        Assert.True(await runtime.ReloadAsync("test"));
        await MosquittoClients.PublishAsync(_broker, "unload/a", "after", 1);
        Assert.Equal("BEFORE\nAFTER\n", await FileWait.LinesAsync(_temp.File("out.log"), 2, Wait));

        // Collection is a condition to wait for, bounded in time: on a busy machine a thread-pool thread
        // may still be finishing with the old generation when the first collections run.
        using var collected = new CancellationTokenSource(Wait);
        while ((sinkContext.IsAlive || stageContext.IsAlive) && !collected.IsCancellationRequested)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Yield();
        }

        Assert.False(sinkContext.IsAlive, "the old sink plugin's context is still referenced");
        Assert.False(stageContext.IsAlive, "the old stage plugin's context is still referenced");
        await stop.CancelAsync();
        await running.WaitAsync(Wait);
    }

    // Not inline: the test must not keep the first graph (and so its plugin instances) in a local of its own.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static HubRuntime Create(string path)
    {
        var publisher = new LatePublisher();
        var built = GraphBuilder.Build(path, new GraphEnvironment { Publisher = publisher });
        Assert.True(built.Graph is not null, string.Join("\n", built.Errors));
        var (runtime, errors) = HubRuntime.Create(built.Graph, publisher, NullLoggerFactory.Instance);
        Assert.Empty(errors);
        return runtime!;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Sink, WeakReference Stage) ContextsOf(HubRuntime runtime)
    {
        var instances = runtime.Current.Services.Instances;
        return (new WeakReference(AssemblyLoadContext.GetLoadContext(instances["lines"].GetType().Assembly)),
            new WeakReference(AssemblyLoadContext.GetLoadContext(instances["upper"].GetType().Assembly)));
    }
}
