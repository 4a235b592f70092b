using System.Globalization;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>
/// Storage servers stopped and started again under load, under the real hub with <c>durable = True</c>: 4,000
/// QoS 1 messages stream to InfluxDB (the HTTP family: influxd 1.6) or Redis (the TCP family: redis-server with an
/// fsynced append-only file); once the first 500 are stored the server is stopped gracefully, 2,000 more arrive
/// while it is down, the hub retries from its journal, the server starts again on the same port and data, and the
/// last 1,500 arrive while the hub catches up. Every message must be in the server at the end; duplicates are
/// counted and reported.
/// </summary>
public sealed class StorageOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Messages = 4000;
    private const int BeforeOutage = 500;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _temp = new();
    private HubProcess? _hub;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() =>
        _broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { ExtraConfig = "max_queued_messages 0" });

    public async Task DisposeAsync()
    {
        if (_hub is not null)
        {
            output.WriteLine("--- the hub's last lines ---\n" + FaultConfig.Tail(_hub));
            await _hub.DisposeAsync();
        }

        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Influxdb_stopped_and_started_again_under_load_gets_every_point_with_a_durable_target()
    {
        await using var influx = await InfluxServer.StartAsync();
        await influx.ExecuteAsync("CREATE DATABASE fault");
        // Each message its own series (the id as a tag), so no two points can share a series and a time.
        var service = $"""
            [config:influxdb]
            host = '{influx.Server.Host}'
            port = {influx.Server.Port.ToString(CultureInfo.InvariantCulture)}
            database = 'fault'
            {Retries}
            targets = {"{"} 'points': ['outage'] {"}"}

            [storage/influx]
            targets = influxdb:points
            qos = 1
            format = id={"{payload}"} value=1
            """;
        async Task<IReadOnlyList<string>> Stored() =>
            [.. (await influx.QueryAsync("fault", "SELECT \"value\", \"id\" FROM outage")).Select(r => r["id"].GetString()!)];

        var figures = await StreamThroughOutageAsync("influxdb", "storage/influx", service, influx.Server, Stored, "influxd stopped (SIGTERM) after 500 points, started again on the same port and data");
        Assert.Equal(0, figures.Lost);
    }

    [Fact]
    public async Task Redis_stopped_and_started_again_under_load_gets_every_value_with_a_durable_target()
    {
        await using var redis = await RedisServer.StartAsync(appendOnly: true);
        var service = $"""
            [config:redis]
            host = '{redis.Host}'
            port = {redis.Port.ToString(CultureInfo.InvariantCulture)}
            timeout = 2
            {Retries}
            targets = {"{"} 'list': {"{"}'command': 'rpush', 'key': 'outage'{"}"} {"}"}

            [storage/redis]
            targets = redis:list
            qos = 1
            """;
        async Task<IReadOnlyList<string>> Stored() =>
            redis.IsRunning ? (await RedisServer.CliAsync(redis, "LRANGE", "outage", "0", "-1")).Split('\n', StringSplitOptions.RemoveEmptyEntries) : [];

        var figures = await StreamThroughOutageAsync("redis", "storage/redis", service, redis, Stored, "redis-server stopped (SIGTERM, append-only file) after 500 values, started again on the same port and data");
        Assert.Equal(0, figures.Lost);
    }

    private const string Retries = """
        retries = 1000
        retry_backoff = 50ms
        retry_max_backoff = 500ms
        retry_max_age = 10m
        """;

    private async Task<FaultFigures> StreamThroughOutageAsync(string name, string topic, string service, ChildServer server, Func<Task<IReadOnlyList<string>>> stored, string notes)
    {
        var clientId = "fault-storage-" + name;
        var config = _temp.Write($"{name}.ini", $"""
            {FaultConfig.Defaults(_broker, clientId, $"launch = {name}\ncleansession = False\ndurable = True")}

            {service}
            """);
        _hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        await _broker.WaitForLogAsync("Sending SUBACK to " + clientId, Wait);

        // Before: the first 500 stored. Down: 2,000 more arrive while the server is stopped. Back: the last 1,500 arrive
        // while the hub replays its journal.
        await NumberedStream.PublishAsync(_broker, clientId + "-publisher", 0, BeforeOutage, _ => topic, Wait);
        await Condition.UntilAsync(async () => (await stored()).Count >= BeforeOutage, Wait, $"{BeforeOutage} values in {name} before the outage");
        await server.StopAsync();
        var during = NumberedStream.PublishAsync(_broker, clientId + "-publisher", BeforeOutage, 2000, _ => topic, Wait);
        await _hub.WaitForLineAsync("Retrying " + name, Wait);
        await during;
        await server.StartAsync();
        await NumberedStream.PublishAsync(_broker, clientId + "-publisher", BeforeOutage + 2000, Messages - BeforeOutage - 2000, _ => topic, Wait);

        var expected = NumberedStream.Ids(0, Messages);
        IReadOnlyList<string> received = [];
        await Condition.UntilAsync(async () => (received = await stored()).Distinct().Count() >= Messages, Wait, $"every value in {name} after the outage");
        var figures = FaultFigures.Count($"{name} stopped and started under load, durable", name, expected, received, notes);
        figures.Report(output);
        return figures;
    }
}
