using System.Text.Json.Nodes;
using Hub.Tests.Support;

namespace Hub.Tests.Hosting;

/// <summary>The order in which <c>hub run</c>'s hosted services start and stop, seen from the outside.</summary>
public sealed class HubHostTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_broker_starts_first_and_stops_last_after_the_runtime_drained_and_published_lwt_dead()
    {
        var state = _temp.File("broker-state");
        var ini = _temp.Write("hub.ini", $$"""
            [defaults]
            clientid = 'host-order'
            plugins = '{{Repo.PluginDirectory}}'
            lwt = hub/status
            launch = file

            [broker]
            enabled = True
            listen = 127.0.0.1:0
            persistence = True
            persistence_dir = '{{state}}'

            [web]
            listen = 127.0.0.1:0

            [config:file]
            targets = { 'out': ['{{_temp.File("out.log")}}'] }

            [order/#]
            targets = file:out
            """);
        var hub = await InProcessHub.StartAsync(ini);
        await Condition.UntilAsync(() => hub.Runtime.IsConnected, TimeSpan.FromSeconds(30), "the hub's session connected");
        await hub.DisposeAsync();

        var messages = hub.Logs.Records.Select(r => r.Message).ToList();
        int Index(string text) => messages.FindIndex(m => m.Contains(text, StringComparison.Ordinal));
        Assert.True(Index("Broker listening") < Index("Web endpoint listening"), string.Join('\n', messages));
        Assert.True(Index("Web endpoint listening") < Index("Starting hub"), string.Join('\n', messages));
        Assert.True(Index("Shutting down: draining") < Index("Hub stopped"), string.Join('\n', messages));

        // The broker saved its retained messages when it stopped: lwt_dead ("0") was published before, so the session
        // disconnected while the broker still ran.
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(state, "broker.json")))!.ToJsonString();
        Assert.Contains("\"hub/status\"", saved);
        Assert.Contains($"\"{Convert.ToBase64String("0"u8)}\"", saved);
    }
}
