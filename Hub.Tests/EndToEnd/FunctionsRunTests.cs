using Hub.Tests.Support;

namespace Hub.Tests.EndToEnd;

/// <summary>The real hub process with a <c>udf.csx</c> against a real mosquitto: hooks, cron and the commands that report on them.</summary>
public sealed class FunctionsRunTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private const string Script = """
        // Functions for the end-to-end route.
        bool DropTests(string topic, string payload) => payload.Contains("drop");

        IDictionary<string, object?> Enrich(string topic, IDictionary<string, object?> data, HookContext ctx) =>
            new Dictionary<string, object?> { ["device"] = topic.Split('/')[1], ["unit"] = ctx.Options["unit"] };

        object? Line(IDictionary<string, object?> data) => $"{data["device"]} {data["value"]}{data["unit"]}";

        void Heartbeat(HookContext ctx) => ctx.Publish("e2e/heartbeat", "alive from " + ctx.Section);

        void Inject(HookContext ctx) => ctx.SendToTargets("sensors/#", "sensors/cron", "{\"value\": 7, \"note\": \"drop filter is skipped\"}");
        """;

    private readonly TempDirectory _temp = new();
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    private string Config(string clientId, string output, string more = "") => $$"""
        {{HubConfigFiles.Defaults(_broker, clientId, "launch = file\nfunctions = udf.csx")}}

        [config:file]
        append_newline = True
        targets = { 'out': ['{{output}}'] }

        [sensors/#]
        targets = file:out
        filter = DropTests()
        alldata = Enrich()
        format = Line()
        unit = '°C'
        {{more}}
        """;

    [Fact]
    public async Task A_route_through_udf_csx_filter_alldata_and_format_writes_exactly_the_expected_file()
    {
        _temp.Write("udf.csx", Script);
        var output = _temp.File("out.log");
        var config = _temp.Write("hub.ini", Config("e2e-udf", output));
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        await hub.WaitForLineAsync("Subscribed", Wait);

        await MosquittoClients.PublishAsync(_broker, "sensors/kitchen", """{"value": 21.5}""");
        await MosquittoClients.PublishAsync(_broker, "sensors/hall", "drop this one");
        await MosquittoClients.PublishAsync(_broker, "sensors/cellar", """{"value": 12}""");

        Assert.Equal("kitchen 21.5°C\ncellar 12°C\n", await FileWait.LinesAsync(output, 2, Wait));
        await hub.WaitForLineAsync("Filter in section [sensors/#] has skipped message on sensors/hall", Wait);
    }

    [Fact]
    public async Task A_cron_function_runs_at_start_and_publishes_on_the_hubs_connection()
    {
        _temp.Write("udf.csx", Script);
        await using var heartbeat = await MosquittoClients.SubscribeAsync(_broker, "e2e/heartbeat");
        var config = _temp.Write("hub.ini", Config("e2e-cron", _temp.File("out.log"), "\n[cron]\nheartbeat = 0.2; now=true"));
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);

        Assert.Equal("e2e/heartbeat alive from cron", await heartbeat.ReadAsync(Wait));
    }

    [Fact]
    public async Task A_cron_function_sends_a_message_through_a_sections_targets()
    {
        _temp.Write("udf.csx", Script);
        var output = _temp.File("out.log");
        var config = _temp.Write("hub.ini", Config("e2e-inject", output, "\n[cron]\ninject = 3600; now=true"));
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);

        Assert.Equal("cron 7°C\n", await FileWait.LinesAsync(output, 1, Wait));
    }

    [Fact]
    public async Task Hub_check_reports_a_script_compile_error_at_its_line_and_exits_2()
    {
        _temp.Write("udf.csx", Script.Replace("payload.Contains(\"drop\")", "payload.Contians(\"drop\")", StringComparison.Ordinal));
        var config = _temp.Write("hub.ini", Config("e2e-check", _temp.File("out.log")));

        var (code, output) = await HubProcess.RunAsync(_temp.Path, "check", "--config", config);

        Assert.Equal(2, code);
        Assert.Contains($"{_temp.File("udf.csx")}:2: CS1061: 'string' does not contain a definition for 'Contians'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hub_test_shows_the_filter_verdict()
    {
        _temp.Write("udf.csx", Script);
        var config = _temp.Write("hub.ini", Config("e2e-test", _temp.File("out.log")));

        var (dropped, droppedOutput) = await HubProcess.RunAsync(_temp.Path, "test", "--config", config, "sensors/x", "drop");
        var (passed, passedOutput) = await HubProcess.RunAsync(_temp.Path, "test", "--config", config, "sensors/x", """{"value": 1}""");

        Assert.Equal(0, dropped);
        Assert.Contains("filter:   DropTests() → suppressed", droppedOutput, StringComparison.Ordinal);
        Assert.Equal(0, passed);
        Assert.Contains("filter:   DropTests() → passes", passedOutput, StringComparison.Ordinal);
        Assert.Contains("message:  'x 1°C'", passedOutput, StringComparison.Ordinal);
    }
}
