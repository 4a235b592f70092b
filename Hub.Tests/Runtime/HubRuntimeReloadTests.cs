using System.Globalization;
using Hub.Graph;
using Hub.PluginHost;
using Hub.Runtime;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Hub.Tests.Runtime;

/// <summary>The in-process runtime on a real mosquitto, reloading: the <c>[cron]</c> schedule and the functions script.</summary>
public sealed class HubRuntimeReloadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();
    private readonly CancellationTokenSource _stop = new();
    private CollectingLogger _log = null!;
    private MosquittoBroker _broker = null!;
    private HubRuntime _runtime = null!;
    private Task _running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _log = new CollectingLogger(output);
        _broker = await MosquittoBroker.StartAsync();
        Directory.CreateDirectory(_temp.File("plugins"));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(Wait);
        await _broker.DisposeAsync();
        _stop.Dispose();
        _temp.Dispose();
    }

    private string Runs => _temp.File("runs.txt");

    private string Config(bool hotReload, string cron) => $"""
        [defaults]
        hostname = '{_broker.Host}'
        port = {_broker.Port.ToString(CultureInfo.InvariantCulture)}
        clientid = 'runtime-reload'
        plugins = ['{_temp.File("plugins")}']
        functions = udf.csx
        hot_reload = {hotReload}

        [cron]
        {cron}
        """;

    /// <summary>A script whose top-level code records that it was loaded (with <paramref name="version"/>), and two cron functions that record their runs.</summary>
    private void Script(string version) => _temp.Write("udf.csx", $$"""
        var runs = @"{{Runs}}";
        File.AppendAllText(runs, "loaded {{version}}\n");
        void Tick(HookContext ctx) => File.AppendAllText(runs, "tick\n");
        void Marker(HookContext ctx) => File.AppendAllText(runs, "marker\n");
        """);

    private async Task StartAsync(string ini)
    {
        var publisher = new LatePublisher();
        var built = GraphBuilder.Build(_temp.Write("hub.ini", ini), new GraphEnvironment { Publisher = publisher });
        Assert.True(built.Graph is not null, string.Join("\n", built.Errors));
        var (runtime, errors) = HubRuntime.Create(built.Graph, publisher, _log);
        Assert.Empty(errors);
        _runtime = runtime!;
        _running = _runtime.RunAsync(_stop.Token);
    }

    [Fact]
    public async Task A_cron_job_with_now_true_runs_once_at_start_and_not_again_after_a_reload()
    {
        Script("v1");
        await StartAsync(Config(hotReload: false, "tick = 3600; now=true"));
        await FileWait.UntilAsync(Runs, c => c.Contains("tick", StringComparison.Ordinal), Wait);

        // The reloaded configuration adds a job that runs at once: the marker that the reloaded schedule has started.
        _temp.Write("hub.ini", Config(hotReload: false, "tick = 3600; now=true\nmarker = 3600; now=true"));
        Assert.True(await _runtime.ReloadAsync("test"));
        await FileWait.UntilAsync(Runs, c => c.Contains("marker", StringComparison.Ordinal), Wait);

        // Stopping waits for runs in progress: a run of Tick started by the reload would be in the file now.
        await _stop.CancelAsync();
        await _running.WaitAsync(Wait);
        Assert.Equal("loaded v1\ntick\nloaded v1\nmarker\n", File.ReadAllText(Runs));
        Assert.Contains("Scheduling Tick() every 3600 s, continuing its schedule", _log.Messages(LogLevel.Information));
        Assert.Contains("Scheduling Marker() every 3600 s, first run now", _log.Messages(LogLevel.Information));
    }

    [Fact]
    public async Task A_changed_functions_script_is_reloaded_and_a_touched_one_is_not()
    {
        Script("v1");
        await StartAsync(Config(hotReload: true, "tick = 3600"));
        await _log.WaitForAsync(e => e.Message.StartsWith("Connected to MQTT broker", StringComparison.Ordinal), Wait);

        File.SetLastWriteTimeUtc(_temp.File("udf.csx"), DateTime.UtcNow.AddMinutes(1));
        await _log.WaitForAsync(e => e.Level == LogLevel.Debug && e.Message.StartsWith("Reload skipped (", StringComparison.Ordinal), Wait);
        Assert.Equal(0, _runtime.Reloads);

        Script("v2");
        await _log.WaitForAsync(e => e.Message.StartsWith("Reloaded:", StringComparison.Ordinal), Wait);

        Assert.Equal(1, _runtime.Reloads);
        Assert.Equal("loaded v1\nloaded v2\n", File.ReadAllText(Runs));
        Assert.Contains($"Reloading ({_temp.File("udf.csx")} changed)", _log.Messages(LogLevel.Information));
    }
}
