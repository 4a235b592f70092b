using System.Globalization;
using Hub.Tests.EndToEnd;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>
/// Memory stays flat while a target is down under load: 1,000 messages of 128 KB (125 MB in all) reach
/// the real hub while its only target answers 503; with <c>max_queue = 20</c> the queue of the failing
/// target drops its oldest items to the dead letters instead of growing. The hub's peak resident size
/// (VmHWM) stays far below what holding the load would take, and every message is accounted for.
/// </summary>
public sealed class MemoryUnderOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Messages = 1_000;
    private const int Padding = 128 * 1024;
    private const int MaxQueue = 20;
    private const long PeakBoundKb = 200 * 1024;
    private const string ClientId = "fault-memory";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _temp = new();
    private MosquittoBroker _broker = null!;
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _api = await FakeHttpApi.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_target_answering_503_under_load_keeps_the_hub_resident_size_bounded_and_loses_nothing_unaccounted()
    {
        _api.On("POST", "/ingest", FakeHttpResponse.Text("down", 503));
        var config = _temp.Write("hub.ini", $$"""
            {{FaultConfig.Defaults(_broker, ClientId, "launch = http")}}

            [config:http]
            max_queue = {{MaxQueue}}
            retry_backoff = 1h
            targets = { 'api': ['post', '{{_api.BaseUrl}}/ingest', None] }

            [memory/load]
            targets = http:api
            """);
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        await _broker.WaitForLogAsync("Sending SUBACK to " + ClientId, Wait);
        var startKb = Status(hub.Id, "VmRSS");

        await NumberedStream.PublishAsync(_broker, "fault-memory-publisher", 0, Messages, _ => "memory/load", Wait, qos: 0, padding: Padding);

        // Every message is either dropped to the dead letters, or waits in the queue (at most MaxQueue), or is the one being retried.
        await Condition.UntilAsync(() => Dropped(hub) >= Messages - MaxQueue - 1, Wait, "the failing target's queue dropping its overflow");
        var peakKb = Status(hub.Id, "VmHWM");
        var letters = Directory.GetFiles(Path.Combine(_temp.Path, ".hub-state", "dead-letters"), "*.json").Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"VmRSS at start {startKb / 1024} MB, VmHWM after {Messages} x {Padding / 1024} KB {peakKb / 1024} MB, {letters} dead letters"));
        new FaultFigures("target 503 under load (max_queue 20)", "http", Messages, letters, 0, Messages - letters - MaxQueue - 1,
            string.Create(CultureInfo.InvariantCulture, $"{Messages} x 128 KB at QoS 0; hub peak RSS {peakKb / 1024} MB; delivered = dead-lettered, {MaxQueue + 1} still queued")).Report(output);

        Assert.True(peakKb < PeakBoundKb, $"the hub's peak resident size {peakKb / 1024} MB is not under {PeakBoundKb / 1024} MB");
        Assert.Equal(Dropped(hub), letters);
        Assert.False(hub.HasExited);
    }

    private static int Dropped(HubProcess hub) => hub.Lines.Count(l => l.Contains("Notification dropped", StringComparison.Ordinal));

    private static long Status(int pid, string key)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
