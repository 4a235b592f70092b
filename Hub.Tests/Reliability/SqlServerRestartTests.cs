using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>
/// The SQL sink family's fault test: under the real hub, PostgreSQL is stopped (fast shutdown) while QoS 1 messages
/// stream in, and started again on the same port and data. With <c>durable = True</c> the batches wait in the
/// journal and are retried as units: every message ends up as a row, none lost.
/// </summary>
public sealed class SqlServerRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Messages = 3000;
    private const string ClientId = "fault-sql";
    private const string Targets = "{'rows': {'table': 'stream', 'columns': {'id': 'payload', 'topic': 'topic', 'seen': '$time'}}}";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _temp = new();
    private readonly PostgresServer _postgres = new();
    private HubProcess? _hub;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { ExtraConfig = "max_queued_messages 0" });
        await _postgres.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_hub is not null)
        {
            output.WriteLine("--- the hub's last lines ---\n" + FaultConfig.Tail(_hub));
            await _hub.DisposeAsync();
        }

        await _postgres.DisposeAsync();
        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task PostgreSQL_stopped_and_started_again_under_load_loses_nothing_with_durable_targets()
    {
        // No unique key, so a batch written twice would show as duplicates.
        await _postgres.QueryAsync("CREATE TABLE stream (id text NOT NULL, topic text NOT NULL, seen timestamptz NOT NULL)");
        var config = _temp.Write("hub.ini", $$"""
            {{FaultConfig.Defaults(_broker, ClientId, "launch = postgres\ncleansession = False")}}

            [config:postgres]
            {{_postgres.ConfigLines}}
            durable = True
            batch_size = 200
            retries = 1000
            retry_backoff = 50ms
            retry_max_backoff = 500ms
            retry_max_age = 10m
            targets = {{Targets}}

            [sql/+]
            targets = postgres:rows
            qos = 1
            """);
        _hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        await _broker.WaitForLogAsync("Sending SUBACK to " + ClientId, Wait);

        // A third before the outage, the rest while the server is down: on a fast machine one stream could be stored
        // completely before the stop, and nothing would be left to retry.
        const int Before = Messages / 3;
        await NumberedStream.PublishAsync(_broker, "fault-sql-publisher", 0, Before, n => "sql/" + (n % 3), Wait);
        await Condition.UntilAsync(async () => await _postgres.CountAsync("SELECT count(*) FROM stream") >= 300, Wait, "the first rows");
        await _postgres.StopAsync();
        var publishing = NumberedStream.PublishAsync(_broker, "fault-sql-publisher-2", Before, Messages - Before, n => "sql/" + (n % 3), Wait);
        await _hub.WaitForLineAsync("Retrying postgres:rows", Wait);
        await publishing;
        await _postgres.StartAsync();

        var expected = NumberedStream.Ids(0, Messages);
        await Condition.UntilAsync(async () => await _postgres.CountAsync("SELECT count(DISTINCT id) FROM stream") >= Messages, Wait, "every message as a row");
        var rows = (await _postgres.QueryAsync("SELECT id FROM stream")).Split('\n');
        var figures = FaultFigures.Count("PostgreSQL stopped and started", "postgres", expected, rows, "durable, fast shutdown under load, batch_size 200");
        figures.Report(output);
        Assert.Equal(0, figures.Lost);
    }
}
