using System.Globalization;
using Hub.Tests.EndToEnd;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>
/// The issue's scenarios against the real hub: a local HTTP target answering 503, a QoS 1 route with
/// <c>durable = true</c>, a persistent session, 20,000 numbered messages. The journal is the backlog: everything the hub
/// acknowledged waits on disk and arrives, in order, when the target is back, with no dead letters; killed with SIGKILL
/// during the outage, the restarted hub goes on from its journal. On a state disk that fills up (a 1 MB tmpfs), what
/// could not be written is not acknowledged: the broker keeps it, and nothing is lost either way.
/// </summary>
public sealed class DurableBacklogTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Messages = 20_000;
    private const string ClientId = "fault-backlog";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(180);
    private readonly TempDirectory _temp = new();
    private readonly List<string> _delivered = [];
    private readonly List<HubProcess> _hubs = [];
    private volatile bool _down = true;
    private int _refused;
    private MosquittoBroker _broker = null!;
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync()
    {
        // Unlimited queue for the hub's session (mosquitto's default drops past 1,000), the default in-flight window (20).
        _broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { ExtraConfig = "max_queued_messages 0" });
        _api = await FakeHttpApi.StartAsync();
        _api.On("POST", "/ingest", request =>
        {
            if (_down)
            {
                Interlocked.Increment(ref _refused);
                return FakeHttpResponse.Text("maintenance", 503);
            }

            lock (_delivered)
            {
                _delivered.Add(request.BodyText);
            }

            return FakeHttpResponse.Text("ok");
        });
    }

    public async Task DisposeAsync()
    {
        foreach (var hub in _hubs)
        {
            output.WriteLine("--- a hub's last lines ---\n" + FaultConfig.Tail(hub, 30));
            await hub.DisposeAsync();
        }

        await _api.DisposeAsync();
        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    private string Config(string? stateDirectory = null) => _temp.Write("hub.ini", $$"""
        {{FaultConfig.Defaults(_broker, ClientId, "launch = http\ncleansession = False" + (stateDirectory is null ? "" : $"\nstate_dir = '{stateDirectory}'"))}}

        [config:http]
        durable = True
        retries = 1000000
        retry_backoff = 100ms
        retry_max_backoff = 500ms
        retry_max_age = 1h
        targets = { 'api': ['post', '{{_api.BaseUrl}}/ingest', None] }

        [backlog/data]
        targets = http:api
        qos = 1
        format = {payload}
        """);

    private HubProcess StartHub(string config)
    {
        var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        _hubs.Add(hub);
        return hub;
    }

    private List<string> Delivered()
    {
        lock (_delivered)
        {
            return [.. _delivered];
        }
    }

    private int DeadLetters(string stateDirectory)
    {
        var directory = Path.Combine(stateDirectory, "dead-letters");
        return Directory.Exists(directory) ? Directory.GetFiles(directory, "*.json", SearchOption.AllDirectories).Length : 0;
    }

    private async Task PublishDuringOutageAsync(HubProcess hub)
    {
        await _broker.WaitForLogAsync("Sending SUBACK to " + ClientId, Wait);
        await NumberedStream.PublishAsync(_broker, "fault-backlog-publisher", 0, Messages, _ => "backlog/data", Wait);
        await hub.WaitForLineAsync("Retrying http:api", Wait);
    }

    private async Task BackAndDeliveredAsync()
    {
        _down = false;
        await Condition.UntilAsync(() => Delivered().Distinct().Count() >= Messages, Wait, "every message after the outage");
    }

    [Fact]
    public async Task A_20000_message_backlog_behind_a_target_down_for_a_while_arrives_complete_and_in_order_with_no_dead_letters()
    {
        var hub = StartHub(Config());
        await PublishDuringOutageAsync(hub);
        // Everything is journaled and acknowledged while the target is still down (before: half went to the dead letters).
        await _broker.WaitForLogAsync($"Received PUBACK from {ClientId} ", Wait, count: Messages);
        Assert.Empty(Delivered());

        await BackAndDeliveredAsync();
        var delivered = Delivered();
        var figures = FaultFigures.Count("HTTP target down (503), durable, 20,000 messages", "http (durable)", NumberedStream.Ids(0, Messages), delivered,
            string.Create(CultureInfo.InvariantCulture, $"{Volatile.Read(ref _refused)} attempts refused; dead letters {DeadLetters(Path.Combine(_temp.Path, ".hub-state"))}"));
        figures.Report(output);
        Assert.Equal(NumberedStream.Ids(0, Messages), delivered);
        Assert.Equal(0, DeadLetters(Path.Combine(_temp.Path, ".hub-state")));
        Assert.DoesNotContain(hub.Lines, l => l.Contains("Notification dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_20000_message_backlog_survives_the_hub_killed_with_sigkill_during_the_outage_and_arrives_complete_and_in_order()
    {
        var config = Config();
        var hub = StartHub(config);
        await PublishDuringOutageAsync(hub);
        await _broker.WaitForLogAsync($"Received PUBACK from {ClientId} ", Wait, count: Messages);
        hub.Signal(9);
        await hub.WaitForExitAsync(Wait);

        _down = false;
        var restarted = StartHub(config);
        await restarted.WaitForLineAsync($"Delivering {Messages} journaled notifications for http:api left from the last run", Wait);
        await BackAndDeliveredAsync();
        var delivered = Delivered();
        var figures = FaultFigures.Count("HTTP target down, durable, hub killed (SIGKILL) during the outage", "http (durable)", NumberedStream.Ids(0, Messages), delivered,
            string.Create(CultureInfo.InvariantCulture, $"restarted with the target back; dead letters {DeadLetters(Path.Combine(_temp.Path, ".hub-state"))}"));
        figures.Report(output);
        Assert.Equal(NumberedStream.Ids(0, Messages), delivered);
        Assert.Equal(0, DeadLetters(Path.Combine(_temp.Path, ".hub-state")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_state_disk_that_fills_up_acknowledges_nothing_it_did_not_write_and_nothing_is_lost(bool killWhileFull)
    {
        await using var disk = await SmallFileSystem.MountAsync(_temp.File("state"), 1 << 20);
        var config = Config(disk.Path);
        var journal = Path.Combine(disk.Path, "journal", "http", "api.journal");
        var hub = StartHub(config);
        await PublishDuringOutageAsync(hub);
        await hub.WaitForLineAsync("writing failed", Wait);

        // The hub acknowledged only what its journal holds: count the ids on disk against the PUBACKs the broker got.
        var journaled = NumberedStream.IdsIn(System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(journal))).Distinct().Count();
        var acknowledged = CountInLog($"Received PUBACK from {ClientId} ");
        output.WriteLine($"disk full: {journaled} messages journaled, {acknowledged} acknowledged");
        Assert.InRange(acknowledged, 1, journaled);
        Assert.True(journaled < Messages, $"{journaled} journaled: the 1 MB disk did not fill");

        if (killWhileFull)
        {
            hub.Signal(9);
            await hub.WaitForExitAsync(Wait);
            _down = false;
            StartHub(config);
        }

        await BackAndDeliveredAsync();
        var delivered = Delivered();
        var scenario = killWhileFull ? "HTTP target down, state disk (1 MB) fills, hub killed (SIGKILL) while it is full" : "HTTP target down, state disk (1 MB) fills, hub keeps running";
        var figures = FaultFigures.Count(scenario, "http (durable)", NumberedStream.Ids(0, Messages), delivered,
            string.Create(CultureInfo.InvariantCulture, $"{journaled} journaled when the disk was full, {acknowledged} of them acknowledged; dead letters {DeadLetters(disk.Path)}; out of order {OutOfOrder(delivered)}"));
        figures.Report(output);
        Assert.Equal(0, figures.Lost);
        Assert.Equal(0, DeadLetters(disk.Path));
    }

    private int CountInLog(string text)
    {
        var log = File.ReadAllText(_broker.LogPath);
        var count = 0;
        for (var at = log.IndexOf(text, StringComparison.Ordinal); at >= 0; at = log.IndexOf(text, at + text.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Deliveries whose id is below the one before (a redelivered message may repeat right after itself).</summary>
    private static int OutOfOrder(IReadOnlyList<string> ids) => ids.Zip(ids.Skip(1)).Count(pair => string.CompareOrdinal(pair.First, pair.Second) > 0);
}
