using System.Text.Json;
using Hub.Tests.Support;

namespace Hub.Tests.EndToEnd;

/// <summary>The real hub process with mqttwarn service modules (<c>plugin(srv, item)</c>) against a real mosquitto.</summary>
public sealed class PythonServiceRunTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private const string Notes = """
        import json

        def plugin(srv, item):
            srv.logging.info('note for %s', item.target)
            fields = {k: item.get(k) for k in ('service', 'section', 'target', 'addrs', 'topic', 'payload', 'message', 'title', 'priority')}
            fields['room'] = item.data['room']
            fields['prefix'] = item.config['prefix']
            with open(item.config['path'], 'a') as out:
                out.write(json.dumps(fields, sort_keys=True) + '\n')
            return True
        """;

    private const string Sulky = """
        def plugin(srv, item):
            srv.logging.warning('refusing %s', item.message)
            return False
        """;

    private readonly TempDirectory _temp = new();
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_service_module_gets_mqttwarns_item_and_one_returning_false_is_retried_then_failed_over()
    {
        _temp.Write("notes.py", Notes);
        _temp.Write("sulky.py", Sulky);
        var notes = _temp.File("notes.jsonl");
        var config = _temp.Write("hub.ini", $$"""
            {{HubConfigFiles.Defaults(_broker, "python-services", "launch = notes, sulky, file\nretry_backoff = 100ms")}}

            [config:notes]
            module = notes.py
            prefix = 'N'
            path = '{{notes}}'
            targets = {'desk': ['one', 2]}

            [config:sulky]
            module = sulky.py
            retries = 1
            failover = file:out

            [config:file]
            append_newline = True
            targets = {'out': ['{{_temp.File("out.log")}}']}

            [rooms/+]
            targets = notes:desk, sulky
            title = {room} says
            priority = 2
            format = {room}: {state}
            """);
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        await hub.WaitForLineAsync("Subscribed", Wait);

        await MosquittoClients.PublishAsync(_broker, "rooms/hall", """{"room": "hall", "state": "open"}""");

        var line = (await FileWait.LinesAsync(notes, 1, Wait)).TrimEnd('\n');
        var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(line)!;
        Assert.Equal("notes", fields["service"].GetString());
        Assert.Equal("rooms/+", fields["section"].GetString());
        Assert.Equal("desk", fields["target"].GetString());
        Assert.Equal("one", fields["addrs"][0].GetString());
        Assert.Equal(2, fields["addrs"][1].GetInt32());
        Assert.Equal("rooms/hall", fields["topic"].GetString());
        Assert.Equal("{\"room\": \"hall\", \"state\": \"open\"}", fields["payload"].GetString());
        Assert.Equal("hall: open", fields["message"].GetString());
        Assert.Equal("hall says", fields["title"].GetString());
        Assert.Equal(2, fields["priority"].GetInt32());
        Assert.Equal("hall", fields["room"].GetString());
        Assert.Equal("N", fields["prefix"].GetString());
        await hub.WaitForLineAsync("note for desk", Wait);

        // False is a failed attempt: one retry, then the failover target gets the message.
        Assert.Equal("hall: open\n", await FileWait.LinesAsync(_temp.File("out.log"), 1, Wait));
        // The file can be written before the hub's log lines of the attempts are read: wait for the failover's, logged after them.
        await hub.WaitForLineAsync("Notification failed over from sulky", Wait);
        Assert.Equal(2, hub.Lines.Count(l => l.Contains("refusing hall: open", StringComparison.Ordinal)));
        Assert.Contains(hub.Lines, l => l.Contains("Notification failed over from sulky", StringComparison.Ordinal) && l.Contains("returned a false value", StringComparison.Ordinal));
    }
}
