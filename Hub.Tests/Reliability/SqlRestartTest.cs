using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>
/// The SQL sink family's fault test, for each server (<see cref="SqlServerRestartTests"/>, <see cref="MariaDbRestartTests"/>):
/// under the real hub, the server is stopped while QoS 1 messages stream in (a third before the stop, the rest while it
/// is down), and started again on the same port and data. With <c>durable = True</c> the batches wait in the journal and
/// are retried as units: every message ends up as a row, none lost. The table has no unique key, so a batch written
/// twice would show as duplicates (counted and reported; at-least-once allows them).
/// </summary>
public abstract class SqlRestartTest(ITestOutputHelper output, ISqlTestServer server) : IAsyncLifetime
{
    private const int Messages = 3000;
    private const string Targets = "{'rows': {'table': 'stream', 'columns': {'id': 'payload', 'topic': 'topic', 'seen': '$time'}}}";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _temp = new();
    private HubProcess? _hub;
    private MosquittoBroker _broker = null!;

    /// <summary>The server's name in the figures.</summary>
    protected abstract string ServerName { get; }

    /// <summary>The plugin (and the service name in the config).</summary>
    protected abstract string Service { get; }

    /// <summary>Creates <c>stream (id, topic, seen)</c> in the server's types, without a unique key.</summary>
    protected abstract string CreateTable { get; }

    /// <summary>How the server stops, for the figures.</summary>
    protected abstract string Shutdown { get; }

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { ExtraConfig = "max_queued_messages 0" });
        await server.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_hub is not null)
        {
            output.WriteLine("--- the hub's last lines ---\n" + FaultConfig.Tail(_hub));
            await _hub.DisposeAsync();
        }

        await server.DisposeAsync();
        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task The_server_stopped_and_started_again_under_load_loses_nothing_with_durable_targets()
    {
        var clientId = "fault-" + Service;
        await server.QueryAsync(CreateTable);
        var config = _temp.Write("hub.ini", $$"""
            {{FaultConfig.Defaults(_broker, clientId, $"launch = {Service}\ncleansession = False")}}

            [config:{{Service}}]
            {{server.ConfigLines}}
            durable = True
            batch_size = 200
            retries = 1000
            retry_backoff = 50ms
            retry_max_backoff = 500ms
            retry_max_age = 10m
            targets = {{Targets}}

            [sql/+]
            targets = {{Service}}:rows
            qos = 1
            """);
        _hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        await _broker.WaitForLogAsync("Sending SUBACK to " + clientId, Wait);

        // A third before the outage, the rest while the server is down: on a fast machine one stream could be stored
        // completely before the stop, and nothing would be left to retry.
        const int Before = Messages / 3;
        await NumberedStream.PublishAsync(_broker, clientId + "-publisher", 0, Before, n => "sql/" + (n % 3), Wait);
        await Condition.UntilAsync(async () => await server.CountAsync("SELECT count(*) FROM stream") >= 300, Wait, "the first rows");
        await server.StopAsync();
        var publishing = NumberedStream.PublishAsync(_broker, clientId + "-publisher-2", Before, Messages - Before, n => "sql/" + (n % 3), Wait);
        await _hub.WaitForLineAsync($"Retrying {Service}:rows", Wait);
        await publishing;
        await server.StartAsync();

        var expected = NumberedStream.Ids(0, Messages);
        await Condition.UntilAsync(async () => await server.CountAsync("SELECT count(DISTINCT id) FROM stream") >= Messages, Wait, "every message as a row");
        var rows = (await server.QueryAsync("SELECT id FROM stream")).Split('\n');
        var figures = FaultFigures.Count($"{ServerName} stopped and started", Service, expected, rows, $"durable, {Shutdown} under load, batch_size 200");
        figures.Report(output);
        Assert.Equal(0, figures.Lost);
    }
}
