using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Tests.Cli;
using Hub.Tests.Support;

namespace Hub.Tests.EndToEnd;

/// <summary>
/// A rule's alarm in a running hub on a real mosquitto (docs/alarms.md): it fires and resolves with one notification
/// each through a file target, its state is retained on <c>alarms/RULE/KEY</c> and every transition is on
/// <c>alarms/events</c>; a restart on the same state directory announces nothing twice; the web API, <c>hub alarms</c>
/// and the MQTT command topics see and acknowledge it. <c>for = 0</c> and <c>group_wait = 0</c>: the service's
/// one-second tick sends the group message.
/// </summary>
public sealed class AlarmsEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string Attic = "sensors/attic/temp";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();
    private MosquittoBroker _broker = null!;

    private string Out => _temp.File("alarms.log");

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Values_over_the_threshold_fire_the_alarm_once_and_values_under_the_recover_threshold_resolve_it()
    {
        var ini = Config();
        await using var events = await MosquittoClients.SubscribeAsync(_broker, "alarms/events", qos: 1);
        await using var hub = await StartAsync(ini);

        await Publish(Attic, "31.5");
        var fired = Json(await events.ReadAsync(Timeout), "alarms/events");
        Assert.Equal(("hot", Attic, "firing", "normal"), (Text(fired, "rule"), Text(fired, "key"), Text(fired, "state"), Text(fired, "previous")));
        await FileWait.LinesAsync(Out, 1, Timeout);
        // Still over `recover`: no transition, no second notification.
        await Publish(Attic, "33");
        await Publish(Attic, "29");

        // A subscriber that arrives later gets the key's state: it is retained.
        var state = await RetainedAsync();
        Assert.Equal("hot", Text(state, "rule"));
        Assert.Equal(Attic, Text(state, "key"));
        Assert.Equal("firing", Text(state, "state"));
        Assert.Equal("critical", Text(state, "severity"));
        Assert.Equal(31.5, state.GetProperty("value").GetDouble());
        Assert.Equal("too hot: 31.5", Text(state, "summary"));
        Assert.Equal("ops", state.GetProperty("labels").GetProperty("team").GetString());
        Assert.False(state.GetProperty("flapping").GetBoolean());
        var since = DateTimeOffset.Parse(Text(state, "since")!, CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow - since, TimeSpan.Zero, Timeout);

        await Publish(Attic, "20");
        var resolved = Json(await events.ReadAsync(Timeout), "alarms/events");
        Assert.Equal(("normal", "firing"), (Text(resolved, "state"), Text(resolved, "previous")));
        var lines = (await FileWait.LinesAsync(Out, 2, Timeout)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal($"{Attic}: too hot: 31.5", lines[0]);
        Assert.StartsWith($"{Attic}: resolved after", lines[1], StringComparison.Ordinal);
        Assert.Equal("normal", Text(await RetainedAsync(), "state"));
        await Condition.UntilAsync(() => hub.Runtime.Alarms!.Notified == 2, Timeout, "two notifications counted");
    }

    [Fact]
    public async Task A_hub_restarted_while_its_alarm_fires_does_not_announce_it_again_and_resolves_it_later()
    {
        var ini = Config();
        await using (var first = await StartAsync(ini))
        {
            await Publish(Attic, "31.5");
            await FileWait.LinesAsync(Out, 1, Timeout);
        }

        await using var hub = await StartAsync(ini);
        Assert.Equal(1, hub.Runtime.Alarms!.Lifecycle.KeyCount);
        await Publish(Attic, "32");
        // A second key firing goes through the group's next message: the restored alarm would be in it if it were due again.
        await Publish("sensors/cellar/temp", "35.5");
        var content = await FileWait.LinesAsync(Out, 2, Timeout);
        var lines = content.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[] { $"{Attic}: too hot: 31.5", "sensors/cellar/temp: too hot: 35.5" }, lines);

        await Publish(Attic, "20");
        lines = (await FileWait.LinesAsync(Out, 3, Timeout)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"{Attic}: resolved after", lines[2], StringComparison.Ordinal);
        Assert.Single(lines, l => l.StartsWith($"{Attic}: too hot", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_web_api_hub_alarms_and_the_mqtt_command_topic_list_and_acknowledge_the_firing_alarm()
    {
        var port = ChildServer.FreePort();
        var ini = Config($"""
            [web]
            listen = 127.0.0.1:{port}
            """);
        await using var events = await MosquittoClients.SubscribeAsync(_broker, "alarms/events", qos: 1);
        await using var replies = await MosquittoClients.SubscribeAsync(_broker, "replies/bot", qos: 1);
        await using var hub = await StartAsync(ini);
        await Publish(Attic, "31.5");
        Assert.Equal("firing", Text(Json(await events.ReadAsync(Timeout), "alarms/events"), "state"));
        await FileWait.LinesAsync(Out, 1, Timeout);

        using var http = new HttpClient { BaseAddress = hub.WebAddress, Timeout = Timeout };
        using (var api = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/alarms", UriKind.Relative))))
        {
            Assert.True(api.RootElement.GetProperty("ok").GetBoolean());
            var alarm = Assert.Single(api.RootElement.GetProperty("alarms").EnumerateArray());
            Assert.Equal(("hot", Attic, "firing", "firing"), (Text(alarm, "rule"), Text(alarm, "key"), Text(alarm, "state"), Text(alarm, "notified")));
        }

        var (code, output, error) = await CliRunner.RunAsync("--config", ini, "alarms", "list");
        Assert.True(code == 0, output + error);
        Assert.Matches(@$"hot\s+{Attic}\s+firing\s+critical\s+\S+\s+31\.5", output);

        (code, output, error) = await CliRunner.RunAsync("--config", ini, "alarms", "ack", "hot", Attic, "--by", "alice", "--comment", "on it");
        Assert.True(code == 0, output + error);
        Assert.Contains($"hot/{Attic}", output, StringComparison.Ordinal);
        var acknowledged = Json(await events.ReadAsync(Timeout), "alarms/events");
        Assert.Equal(("firing", true), (Text(acknowledged, "state"), acknowledged.GetProperty("acknowledged").GetBoolean()));

        (code, output, _) = await CliRunner.RunAsync("--config", ini, "alarms", "list");
        Assert.Equal(0, code);
        Assert.Contains("ack by alice", output, StringComparison.Ordinal);

        // A second ack of an alarm that is not on fails, with the API's reason.
        using (var refused = await http.PostAsJsonAsync(new Uri("/api/alarms/ack", UriKind.Relative), new { rule = "hot", key = "sensors/nowhere/temp" }))
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("is not an alarm that is on", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await MosquittoClients.PublishAsync(_broker, "alarms/command/list", "{}", 1, "-V", "mqttv5", "-D", "publish", "response-topic", "replies/bot");
        var reply = Json(await replies.ReadAsync(Timeout), "replies/bot");
        Assert.True(reply.GetProperty("ok").GetBoolean());
        var listed = Assert.Single(reply.GetProperty("alarms").EnumerateArray());
        Assert.Equal(("hot", Attic, "alice"), (Text(listed, "rule"), Text(listed, "key"), Text(listed, "acknowledged_by")));
    }

    private string Config(string extra = "") => _temp.Write("hub.ini", $$"""
        [defaults]
        hostname = 127.0.0.1
        port = {{_broker.Port}}
        clientid = 'alarms-e2e'
        protocol = 5
        launch = file
        plugins = '{{Repo.PluginDirectory}}'
        state_dir = {{_temp.File("state")}}

        [config:file]
        append_newline = True
        targets = {'out': ['{{Out}}']}

        [rule:hot]
        topic = sensors/+/temp
        when = value > 30
        recover = value < 28
        severity = critical
        summary = too hot: {value}
        labels = {'team': 'ops'}
        group_wait = 0
        group_interval = 1s
        targets = file:out

        {{extra}}
        """);

    private static async Task<InProcessHub> StartAsync(string ini)
    {
        var hub = await InProcessHub.StartAsync(ini);
        await hub.Runtime.Ready.WaitAsync(Timeout);
        return hub;
    }

    private Task Publish(string topic, string payload) => MosquittoClients.PublishAsync(_broker, topic, payload, 1);

    /// <summary>The retained state of the attic key, as a subscriber arriving now receives it.</summary>
    private async Task<JsonElement> RetainedAsync()
    {
        await using var late = await MosquittoClients.SubscribeAsync(_broker, $"alarms/hot/{Attic}", qos: 1);
        return Json(await late.ReadAsync(Timeout), $"alarms/hot/{Attic}");
    }

    /// <summary>The JSON payload of a mosquitto_sub -v line on <paramref name="topic"/>.</summary>
    private static JsonElement Json(string line, string topic)
    {
        Assert.StartsWith(topic + " ", line, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(line[(topic.Length + 1)..]);
        return document.RootElement.Clone();
    }

    private static string? Text(JsonElement element, string name) => element.GetProperty(name).GetString();
}
