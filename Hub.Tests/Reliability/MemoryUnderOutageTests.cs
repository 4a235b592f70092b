using System.Globalization;
using Hub.Tests.EndToEnd;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>
/// Memory stays flat while a target is down under load: 8,000 QoS 1 messages of 16 KB (125 MB in all)
/// reach the real hub while its only target refuses connections (<c>retries = 0</c>, <c>max_queue = 20</c>,
/// failing over to a file): the queue never grows past its bound and the broker holds the rest until the
/// hub acknowledges. The hub's peak resident size (VmHWM) stays under 200 MB, and every message reaches
/// the failover file. (With 128 KB messages the peak was 688 MB: every payload is a large-object-heap
/// allocation, which only a full collection frees; see docs/reliability.md.)
/// </summary>
public sealed class MemoryUnderOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Messages = 8_000;
    private const int Padding = 16 * 1024;
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
    public async Task A_target_down_under_load_keeps_the_hub_resident_size_bounded_and_loses_nothing()
    {
        var config = _temp.Write("hub.ini", $$"""
            {{FaultConfig.Defaults(_broker, ClientId, "launch = http, file")}}

            [config:http]
            max_queue = {{MaxQueue}}
            retries = 0
            failover = file:out
            targets = { 'api': ['post', '{{Loopback.ClosedUrl()}}/ingest', None] }

            [config:file]
            append_newline = True
            targets = { 'out': ['{{_temp.File("out.log")}}'] }

            [memory/load]
            targets = http:api
            qos = 1
            """);
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        _hub = hub;
        await _broker.WaitForLogAsync("Sending SUBACK to " + ClientId, Wait);
        var startKb = Status(hub.Id, "VmRSS");

        await NumberedStream.PublishAsync(_broker, "fault-memory-publisher", 0, Messages, _ => "memory/load", Wait, qos: 1, padding: Padding);

        // Every message fails over to the file, or (when the failing target's queue is full) is dropped to the dead letters.
        await Condition.UntilAsync(() => Count(hub, "Notification failed over from http:api") + Count(hub, "Notification dropped") >= Messages, Wait, "every message failing over or dropped");
        var failedOver = Count(hub, "Notification failed over from http:api");
        var outPath = _temp.File("out.log");
        await Condition.UntilAsync(() => File.Exists(outPath) && new FileInfo(outPath).Length >= (long)failedOver * (Padding + 8), Wait, "the failover file holding every failed-over message");
        var peakKb = Status(hub.Id, "VmHWM");
        var letters = Directory.Exists(Path.Combine(_temp.Path, ".hub-state", "dead-letters"))
            ? Directory.GetFiles(Path.Combine(_temp.Path, ".hub-state", "dead-letters"), "*.json").SelectMany(f => NumberedStream.IdsIn(File.ReadAllText(f)).Take(1)).ToList()
            : [];
        var figures = FaultFigures.Count("target down under load (max_queue 20)", "http, failing over to file", NumberedStream.Ids(0, Messages),
            NumberedStream.IdsIn(File.ReadAllText(outPath)).Concat(letters),
            string.Create(CultureInfo.InvariantCulture, $"{Messages} x 16 KB at QoS 1, connection refused, retries = 0; {failedOver} failed over, {letters.Count} dropped to dead letters; hub peak RSS {peakKb / 1024} MB"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"VmRSS at start {startKb / 1024} MB, VmHWM after {Messages} x {Padding / 1024} KB: {peakKb / 1024} MB"));
        figures.Report(output);

        Assert.True(peakKb < PeakBoundKb, $"the hub's peak resident size {peakKb / 1024} MB is not under {PeakBoundKb / 1024} MB");
        Assert.Equal(0, figures.Lost);
        Assert.False(hub.HasExited);
    }

    private static int Count(HubProcess hub, string text) => hub.Lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    private static long Status(int pid, string key)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
