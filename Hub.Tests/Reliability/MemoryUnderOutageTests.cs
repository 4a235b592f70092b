using System.Globalization;
using Hub.Tests.EndToEnd;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>
/// Memory stays flat while a target is down under load: 1,000 QoS 1 messages of 128 KB (125 MB in all)
/// reach the real hub while its only target refuses connections (<c>retries = 0</c>, <c>max_queue = 20</c>):
/// each item ends as a dead letter, the queue never grows past its bound, and the broker holds the rest
/// until the hub acknowledges. The hub's peak resident size (VmHWM) stays far below what holding the load
/// would take, and every message is accounted for as a dead letter.
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
    private HubProcess? _hub;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { ExtraConfig = "max_queued_messages 0" });
    }

    public async Task DisposeAsync()
    {
        if (_hub is not null)
        {
            output.WriteLine("--- the hub's last lines ---\n" + FaultConfig.Tail(_hub));
        }

        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_target_down_under_load_keeps_the_hub_resident_size_bounded_and_loses_nothing_unaccounted()
    {
        var config = _temp.Write("hub.ini", $$"""
            {{FaultConfig.Defaults(_broker, ClientId, "launch = http")}}

            [config:http]
            max_queue = {{MaxQueue}}
            retries = 0
            targets = { 'api': ['post', '{{Loopback.ClosedUrl()}}/ingest', None] }

            [memory/load]
            targets = http:api
            qos = 1
            """);
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        _hub = hub;
        await _broker.WaitForLogAsync("Sending SUBACK to " + ClientId, Wait);
        var startKb = Status(hub.Id, "VmRSS");

        await NumberedStream.PublishAsync(_broker, "fault-memory-publisher", 0, Messages, _ => "memory/load", Wait, qos: 1, padding: Padding);

        // Every message ends as a dead letter: given up on (no retries), or dropped from the full queue of the failing target.
        await Condition.UntilAsync(() => DeadLettered(hub) >= Messages, Wait, "every message becoming a dead letter");
        var peakKb = Status(hub.Id, "VmHWM");
        var letters = Directory.GetFiles(Path.Combine(_temp.Path, ".hub-state", "dead-letters"), "*.json").Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"VmRSS at start {startKb / 1024} MB, VmHWM after {Messages} x {Padding / 1024} KB {peakKb / 1024} MB, {letters} dead letters"));
        new FaultFigures("target down under load (max_queue 20)", "http", Messages, letters, 0, Messages - letters,
            string.Create(CultureInfo.InvariantCulture, $"{Messages} x 128 KB at QoS 1, connection refused; delivered = kept as dead letters; hub peak RSS {peakKb / 1024} MB")).Report(output);

        Assert.True(peakKb < PeakBoundKb, $"the hub's peak resident size {peakKb / 1024} MB is not under {PeakBoundKb / 1024} MB");
        Assert.Equal(Messages, letters);
        Assert.False(hub.HasExited);
    }

    private static int DeadLettered(HubProcess hub) =>
        hub.Lines.Count(l => l.Contains("Notification dropped", StringComparison.Ordinal) || l.Contains("Notification not delivered", StringComparison.Ordinal));

    private static long Status(int pid, string key)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
