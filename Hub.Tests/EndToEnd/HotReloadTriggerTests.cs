using System.Globalization;
using System.Text.RegularExpressions;
using Hub.Mqtt;
using Hub.Tests.Mqtt.Integration;
using Hub.Tests.PluginHost;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.EndToEnd;

/// <summary>
/// The real hub process with everything in one folder, as a new user sets it up (<c>plugins = .</c>): the INI, a
/// plugin folder, the hub's own log, the targets' output (one file inside the plugin folder) and <c>.hub-state</c>.
/// Only a change to the configuration or to a plugin's files reloads; a <c>touch</c> is skipped. The hub logs
/// "Reload skipped (WHAT)" at DEBUG with every change its watcher saw, so a touch of the INI is the marker that
/// closes each observation: whatever else the watcher had taken for a trigger would be named in that line.
/// </summary>
public sealed class HotReloadTriggerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    /// <summary>How long the steady traffic runs while the test watches for reloads that must not come.</summary>
    private static readonly TimeSpan Traffic = TimeSpan.FromSeconds(3);

    private readonly TempDirectory _temp = new();
    private MosquittoBroker _broker = null!;
    private int _sent;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    private string Log => _temp.File("hub.log");
    private string Ini => _temp.File("hub.ini");
    private string PluginDll => Path.Combine(_temp.Path, "FixtureLineSink", "FixtureLineSink.dll");

    private string Config(string format) => $"""
        [defaults]
        hostname = '{_broker.Host}'
        port = {_broker.Port.ToString(CultureInfo.InvariantCulture)}
        clientid = 'reload-trigger'
        plugins = ['.', '{Repo.PluginDirectory}']
        logfile = 'hub.log'
        loglevel = DEBUG
        durable = True
        launch = lines, inside

        [config:lines]
        module = fixture_lines
        path = 'out.txt'
        targets = {"{"} 'out': [] {"}"}

        [config:inside]
        module = fixture_lines
        path = 'FixtureLineSink/inside.txt'
        targets = {"{"} 'out': [] {"}"}

        [stream/#]
        targets = lines:out, inside:out
        qos = 1
        format = {format}
        """;

    private async Task<HubProcess> StartHubAsync()
    {
        FixturePlugins.Copy(Path.Combine(FixturePlugins.Directory, "FixtureLineSink"), Path.Combine(_temp.Path, "FixtureLineSink"));
        _temp.Write("hub.ini", Config("{payload}"));
        var hub = HubProcess.Start(_temp.Path, "run", "--config", Ini);
        await LoggedAsync(hub, "Connected to MQTT broker", 1);
        return hub;
    }

    [Fact]
    public async Task The_hubs_own_log_and_a_targets_output_inside_the_plugin_directory_cause_no_reload()
    {
        await using var hub = await StartHubAsync();

        await SteadyTrafficAsync(hub);
        Touch(Ini);
        var skipped = await LoggedAsync(hub, "Reload skipped (", 1);

        Assert.DoesNotContain("Reloading (", Read(Log), StringComparison.Ordinal);
        Assert.Equal([$"{Ini} changed"], ChangesNamedIn(skipped));
        Assert.True(File.Exists(Path.Combine(_temp.Path, "FixtureLineSink", "inside.txt")), "the target inside the plugin folder wrote nothing");
        Assert.True(Directory.Exists(Path.Combine(_temp.Path, ".hub-state", "journal")), "the journal (in .hub-state) was not written");
    }

    [Fact]
    public async Task A_touch_causes_no_reload_and_a_changed_ini_and_a_changed_plugin_dll_each_cause_exactly_one()
    {
        await using var hub = await StartHubAsync();

        Touch(Ini);
        Touch(PluginDll);
        var skipped = await LoggedAsync(hub, "Reload skipped (", 1);
        Assert.DoesNotContain("Reloading (", Read(Log), StringComparison.Ordinal);
        Assert.Contains($"{Ini} changed", skipped, StringComparison.Ordinal);

        _temp.Write("hub.ini", Config("ini {payload}"));
        await LoggedAsync(hub, "Reloaded:", 1);
        await DeliverAsync(hub, line => line.StartsWith("ini ", StringComparison.Ordinal));
        Touch(Ini);
        await LoggedAsync(hub, "Reload skipped (", 2);
        Assert.Equal(1, Count(Read(Log), "Reloading ("));
        Assert.Contains($"Reloading ({Ini} changed)", Read(Log), StringComparison.Ordinal);

        FixturePlugins.Copy(Path.Combine(FixturePlugins.Directory, "FixtureLineSinkV2"), Path.Combine(_temp.Path, "FixtureLineSink"));
        await LoggedAsync(hub, "Reloaded:", 2);
        await DeliverAsync(hub, line => line.StartsWith("v2 ini ", StringComparison.Ordinal));
        Touch(Ini);
        await LoggedAsync(hub, "Reload skipped (", 3);
        Assert.Equal(2, Count(Read(Log), "Reloading ("));
        Assert.Contains(PluginDll, Read(Log).Split('\n').Last(l => l.Contains("Reloading (", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    /// <summary>
    /// Publishes QoS 1 messages one after the other, each once the previous one reached both files, for <see cref="Traffic"/>:
    /// every message writes the hub's log (DEBUG), both target files and the journal.
    /// </summary>
    private async Task SteadyTrafficAsync(HubProcess hub)
    {
        var (client, _) = Peers.Client(Peers.Options(_broker, "reload-trigger-publisher"), output);
        await using var _client = client;
        await client.StartAndWaitConnectedAsync();
        var running = System.Diagnostics.Stopwatch.StartNew();
        var start = _sent;
        while (running.Elapsed < Traffic)
        {
            await PublishAndWaitAsync(hub, client);
        }

        output.WriteLine($"{_sent - start} messages in {running.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>Publishes one message and waits until its line (the last one, checked by <paramref name="line"/>) is in the output file.</summary>
    private async Task DeliverAsync(HubProcess hub, Func<string, bool> line)
    {
        var (client, _) = Peers.Client(Peers.Options(_broker, "reload-trigger-publisher"), output);
        await using var _client = client;
        await client.StartAndWaitConnectedAsync();
        var content = await PublishAndWaitAsync(hub, client);
        Assert.True(line(content.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]), $"unexpected output:\n{content}");
    }

    private async Task<string> PublishAndWaitAsync(HubProcess hub, MqttClient client)
    {
        var payload = _sent.ToString(CultureInfo.InvariantCulture);
        await client.PublishAsync(new MqttApplicationMessage($"stream/{_sent % 3}", System.Text.Encoding.UTF8.GetBytes(payload), 1, false), CancellationToken.None);
        _sent++;
        await WithHubLogAsync(hub, () => FileWait.LinesAsync(Path.Combine(_temp.Path, "FixtureLineSink", "inside.txt"), _sent, Wait));
        return await WithHubLogAsync(hub, () => FileWait.LinesAsync(_temp.File("out.txt"), _sent, Wait));
    }

    /// <summary>Waits until the hub's log holds <paramref name="count"/> lines with <paramref name="text"/>; returns the last of them.</summary>
    private Task<string> LoggedAsync(HubProcess hub, string text, int count) =>
        WithHubLogAsync(hub, async () =>
        {
            var content = await FileWait.UntilAsync(Log, c => Count(c, text) >= count, Wait);
            return content.Split('\n').Last(l => l.Contains(text, StringComparison.Ordinal));
        });

    /// <summary>On a timeout, the failure carries the hub's log and state.</summary>
    private async Task<string> WithHubLogAsync(HubProcess hub, Func<Task<string>> wait)
    {
        try
        {
            return await wait();
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nThe hub is {hub.State}; its output: {hub.Output}\nIts log:\n{(File.Exists(Log) ? Read(Log) : "(none)")}", ex);
        }
    }

    /// <summary>The changes a "Reload skipped (A changed; B created): ..." line names.</summary>
    private static string[] ChangesNamedIn(string line) =>
        Regex.Match(line, @"Reload skipped \((?<changes>.*)\): ").Groups["changes"].Value.Split("; ");

    private static void Touch(string path) => File.SetLastWriteTimeUtc(path, DateTime.UtcNow);

    private static int Count(string content, string text) => Regex.Count(content, Regex.Escape(text));

    private static string Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }
}
