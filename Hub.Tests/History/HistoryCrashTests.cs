using System.Globalization;
using Hub.History;
using Hub.Tests.Reliability;
using Hub.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Hub.Tests.History;

/// <summary>The real hub recording while it routes: killed with SIGKILL, and with a history it cannot write.</summary>
public sealed class HistoryCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_hub_killed_with_SIGKILL_loses_at_most_the_points_of_its_last_flush_interval_and_the_database_opens_intact()
    {
        var db = _temp.File("history.db");
        var config = Config("history-kill", $"path = {db}\nflush_interval = 2s");
        await using (var hub = HubProcess.Start(_temp.Path, "run", "--config", config))
        {
            await _broker.WaitForLogAsync("Sending SUBACK to history-kill", Wait);
            await PublishAsync(1, 500);
            await Condition.UntilAsync(() => Count(db) == 500, Wait, "the first 500 points written");

            var started = DateTimeOffset.UtcNow;
            await PublishAsync(501, 1000);
            hub.Signal(9);
            output.WriteLine($"published 500 more in {(DateTimeOffset.UtcNow - started).TotalMilliseconds:0} ms, then SIGKILL");
            await hub.WaitForExitAsync(Wait);
        }

        using var store = HistoryStore.Open(db);
        var values = store.Points("data/#", DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1)).Select(p => (int)p.Value).Order().ToList();
        output.WriteLine($"{values.Count} of 1000 points survived");
        Assert.Equal("ok", Scalar(db, "PRAGMA integrity_check"));
        // Everything written before the last flush interval is there, and what survived is a prefix: batches commit whole and in order.
        Assert.Equal(Enumerable.Range(1, values.Count), values);
        Assert.InRange(values.Count, 500, 1000);
    }

    [Fact]
    public async Task A_history_that_cannot_be_written_is_logged_and_routing_goes_on()
    {
        var blocked = _temp.Write("not-a-directory", "a file");
        var config = Config("history-blocked", $"path = {Path.Combine(blocked, "history.db")}\nflush_interval = 200ms");
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        await _broker.WaitForLogAsync("Sending SUBACK to history-blocked", Wait);

        await PublishAsync(1, 100);

        var lines = await FileWait.LinesAsync(_temp.File("out.log"), 100, Wait);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => i.ToString(CultureInfo.InvariantCulture)), lines.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await hub.WaitForLineAsync("History: writing", Wait);
        Assert.False(hub.HasExited, FaultConfig.Tail(hub));
    }

    private string Config(string clientId, string history) => _temp.Write("hub.ini", $"""
        {FaultConfig.Defaults(_broker, clientId, "launch = file")}

        [config:file]
        append_newline = True
        targets = {'{'} 'out': ['{_temp.File("out.log")}'] {'}'}

        [data/#]
        targets = file:out

        [history]
        {history}

        [history:data]
        topic = data/#
        """);

    private async Task PublishAsync(int first, int last)
    {
        var lines = _temp.Write($"payloads-{first}.txt", string.Join('\n', Enumerable.Range(first, last - first + 1)) + "\n");
        var result = await ProcessRunner.RunAsync("sh", ["-c", $"mosquitto_pub -h {_broker.Host} -p {_broker.Port} -t data/x -q 1 -l < {lines}"], Wait);
        Assert.Equal(0, result.ExitCode);
    }

    private static long Count(string db)
    {
        try
        {
            return File.Exists(db) ? long.Parse(Scalar(db, "SELECT count(*) FROM points"), CultureInfo.InvariantCulture) : 0;
        }
        catch (SqliteException)
        {
            return 0; // Not created yet.
        }
    }

    private static string Scalar(string db, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture)!;
    }
}
