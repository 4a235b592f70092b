using System.Globalization;
using Hub.Mqtt;
using Hub.Tests.Mqtt.Integration;
using Hub.Tests.PluginHost;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.EndToEnd;

/// <summary>
/// The real hub process on a real mosquitto, reloading while a publisher streams QoS 1 messages:
/// every message reaches the file exactly once, in order.
/// </summary>
public sealed class HotReloadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    /// <summary>A reload loads every plugin again into new contexts: on a loaded CI machine that can take a while.</summary>
    private static readonly TimeSpan ReloadWait = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _temp = new();
    private MosquittoBroker _broker = null!;

    // The publisher streams QoS 1 as fast as the broker acknowledges it, faster than the hub takes messages while it
    // reloads; mosquitto's default limit of 1,000 queued messages per client would then drop some (its documented
    // behaviour, not the hub's): the queue is unlimited here, so every message sent reaches the hub.
    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { ExtraConfig = "max_queued_messages 0" });

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    private string Config(string clientId, string format, bool hotReload) => $"""
        [defaults]
        hostname = '{_broker.Host}'
        port = {_broker.Port.ToString(CultureInfo.InvariantCulture)}
        clientid = '{clientId}'
        plugins = ['{Path.Combine(_temp.Path, "plugins")}', '{Repo.PluginDirectory}']
        loglevel = INFO
        launch = lines
        hot_reload = {hotReload}

        [config:lines]
        module = fixture_lines
        path = 'out.log'
        targets = {"{"} 'out': [] {"}"}

        [stream/#]
        targets = lines:out
        qos = 1
        format = {format}
        """;

    private async Task<HubProcess> StartHubAsync(string ini)
    {
        FixturePlugins.Install(_temp.Path, "FixtureLineSink");
        var config = _temp.Write("hub.ini", ini);
        var hub = HubProcess.StartWithDefaultSignals(_temp.Path, "run", "--config", config);
        // INFO, not DEBUG: two DEBUG lines per message of a fast stream would flood the pipe the test reads the hub's
        // log from; "Connected" comes after the subscription.
        await hub.WaitForLineAsync("Connected to MQTT broker", Wait);
        return hub;
    }

    /// <summary>Waits for the lines; on a timeout the failure carries the hub's own log, which says where messages stopped.</summary>
    private async Task<string> LinesOrHubOutputAsync(HubProcess hub, int count, TimeSpan? timeout = null)
    {
        try
        {
            return await FileWait.LinesAsync(_temp.File("out.log"), count, timeout ?? Wait);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nThe hub is {hub.State}. Its output:\n{hub.Output}", ex);
        }
    }

    [Fact]
    public async Task Upgrading_a_plugin_while_messages_flow_switches_to_the_new_version_and_delivers_every_message_once()
    {
        await using var hub = await StartHubAsync(Config("reload-files", "{payload}", hotReload: true));

        var sent = await StreamDuringAsync(hub, () =>
            FixturePlugins.Copy(Path.Combine(FixturePlugins.Directory, "FixtureLineSinkV2"), Path.Combine(_temp.Path, "plugins", "FixtureLineSink")));

        var lines = await LinesOrHubOutputAsync(hub, sent);
        AssertEachOnceInOrder(sent, lines);
        Assert.StartsWith("v2 ", lines.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }

    [Fact]
    public async Task Changing_hub_ini_while_messages_flow_applies_the_new_format_and_delivers_every_message_once()
    {
        await using var hub = await StartHubAsync(Config("reload-ini", "{payload}", hotReload: true));

        var sent = await StreamDuringAsync(hub, () => _temp.Write("hub.ini", Config("reload-ini", "v2 {payload}", hotReload: true)));

        var lines = await LinesOrHubOutputAsync(hub, sent);
        AssertEachOnceInOrder(sent, lines);
        Assert.StartsWith("v2 ", lines.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }

    [Fact]
    public async Task Sighup_reloads_when_hot_reload_is_off()
    {
        await using var hub = await StartHubAsync(Config("reload-hup", "{payload}", hotReload: false));
        _temp.Write("hub.ini", Config("reload-hup", "v2 {payload}", hotReload: false));

        var sent = await StreamDuringAsync(hub, () => hub.Signal(1));

        var lines = await LinesOrHubOutputAsync(hub, sent);
        AssertEachOnceInOrder(sent, lines);
        Assert.StartsWith("v2 ", lines.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Contains("Reloading (SIGHUP)", hub.Output);
    }

    /// <summary>
    /// Publishes numbered QoS 1 messages without pause; once some have been delivered, triggers the reload;
    /// goes on publishing until the hub reports the reload done, then 50 more. Returns how many were sent.
    /// </summary>
    private async Task<int> StreamDuringAsync(HubProcess hub, Action reload)
    {
        var (client, _) = Peers.Client(Peers.Options(_broker, "reload-publisher"), output);
        await using var _client = client;
        await client.StartAndWaitConnectedAsync();
        var reloaded = hub.WaitForLineAsync("Reloaded:", ReloadWait);
        var sent = 0;
        var afterReload = -1;
        System.Diagnostics.Stopwatch? triggered = null;
        var retriggered = false;
        while (afterReload < 50)
        {
            await client.PublishAsync(new MqttApplicationMessage($"stream/{sent % 3}", System.Text.Encoding.UTF8.GetBytes(sent.ToString(CultureInfo.InvariantCulture)), 1, false), CancellationToken.None);
            sent++;

            // At most 1,000 ahead of the hub: a burst the broker queues faster than a loaded machine drains it proves
            // nothing more, and while the hub reloads (its new workers start once the old queues are drained) this
            // waits for the reload instead of piling up messages.
            if (sent % 100 == 0 && sent > 1000)
            {
                await LinesOrHubOutputAsync(hub, sent - 1000, ReloadWait);
            }

            if (sent == 100)
            {
                await FileWait.LinesAsync(_temp.File("out.log"), 1, Wait);
                reload();
                triggered = System.Diagnostics.Stopwatch.StartNew();
            }

            // Should the trigger not be taken up (no "Reloading" within 15 s: seen under full CI load with SIGHUP, cause
            // not proven; the hub now unblocks the signals it handles), say so with the hub's signal masks and trigger once more.
            if (triggered is { Elapsed.TotalSeconds: > 15 } && !retriggered && !hub.Output.Contains("Reloading", StringComparison.Ordinal))
            {
                output.WriteLine($"No 'Reloading' 15 s after the trigger; triggering again. The hub is {hub.State}");
                retriggered = true;
                reload();
            }

            if (afterReload >= 0 || reloaded.IsCompleted)
            {
                afterReload++;
            }

            Assert.True(sent < 200_000, $"the hub did not reload (it is {hub.State}). Its log:\n{hub.Output}");
        }

        await reloaded;
        output.WriteLine($"{sent} messages sent, {afterReload} after the reload completed");
        return sent;
    }

    private static void AssertEachOnceInOrder(int sent, string content)
    {
        var numbers = content.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => int.Parse(l.Split(' ')[^1], CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(Enumerable.Range(0, sent), numbers);
    }
}
