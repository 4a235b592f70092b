using System.Globalization;
using Hub.Tests.PluginHost;
using Hub.Tests.Support;

namespace Hub.Tests.EndToEnd;

/// <summary>A route through a DLL filter, a DLL transform and a DLL sink, in the real hub on a real mosquitto.</summary>
public sealed class PluginPipelineTests : IAsyncLifetime
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

    private string Config(string stages) => $$"""
        [defaults]
        hostname = '{{_broker.Host}}'
        port = {{_broker.Port.ToString(CultureInfo.InvariantCulture)}}
        clientid = 'pipeline'
        plugins = ['{{FixturePlugins.Install(_temp.Path, "FixtureFilter", "FixtureTransform", "FixtureLineSink", "FixtureThrowing")}}']
        loglevel = DEBUG
        launch = dropper, upper, lines, broken

        [config:dropper]
        module = fixture_filter

        [config:upper]
        module = fixture_transform

        [config:broken]
        module = fixture_throwing
        targets = { 'any': [] }

        [config:lines]
        module = fixture_lines
        path = 'out.log'
        targets = { 'out': [] }

        [pipe/#]
        stages = {{stages}}
        targets = lines:out, broken:any
        format = {topic} {upper}
        """;

    [Fact]
    public async Task A_route_through_a_dll_filter_a_dll_transform_and_a_dll_sink_ends_in_the_file()
    {
        var config = _temp.Write("hub.ini", Config("dropper, upper"));
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        await hub.WaitForLineAsync("Subscribed", Wait);

        await MosquittoClients.PublishAsync(_broker, "pipe/a", "hello");
        await MosquittoClients.PublishAsync(_broker, "pipe/b", "please drop me");
        await MosquittoClients.PublishAsync(_broker, "pipe/c", "world");

        Assert.Equal("pipe/a HELLO\npipe/c WORLD\n", await FileWait.LinesAsync(_temp.File("out.log"), 2, Wait));
        await hub.WaitForLineAsync("fixture_throwing refuses pipe/c", Wait); // the throwing target failed, the file target did not care
    }

    [Fact]
    public async Task A_stage_that_is_not_launched_is_a_configuration_error()
    {
        var config = _temp.Write("hub.ini", Config("dropper, nosuchstage"));
        var (code, output) = await HubProcess.RunAsync(_temp.Path, "run", "--config", config);
        Assert.NotEqual(0, code);
        Assert.Contains("stage 'nosuchstage' is not a launched [config:nosuchstage] instance", output);

        var (checkCode, checkOutput) = await HubProcess.RunAsync(_temp.Path, "check", "--config", config);
        Assert.NotEqual(0, checkCode);
        Assert.Contains("hub.ini:", checkOutput);
        Assert.Contains("stage 'nosuchstage' is not a launched [config:nosuchstage] instance", checkOutput);
    }
}
