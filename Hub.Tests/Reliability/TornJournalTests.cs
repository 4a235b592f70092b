using Hub.Tests.EndToEnd;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>
/// A durable target's journal whose last record is torn (cut mid-record while the hub is stopped, as a
/// crash mid-write or a damaged disk leaves it): the real hub starts, says so in its log, and delivers
/// every other journaled item; only the torn record is lost.
/// </summary>
public sealed class TornJournalTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ClientId = "fault-torn";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
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

    private string JournalPath => Path.Combine(_temp.Path, ".hub-state", "journal", "http", "api.journal");

    /// <summary>A QoS 1 route to a durable http target (persistent session, retries an hour apart): its journal is <see cref="JournalPath"/>.</summary>
    private string DurableHttpRoute() => _temp.Write("hub.ini", $$"""
        {{FaultConfig.Defaults(_broker, ClientId, "launch = http\ncleansession = False\ndurable = True\nretry_backoff = 1h")}}

        [config:http]
        targets = { 'api': ['post', '{{_api.BaseUrl}}/ingest', None] }

        [torn/data]
        targets = http:api
        qos = 1
        """);

    [Fact]
    public async Task A_journal_whose_last_record_is_torn_is_reported_and_everything_before_it_is_delivered()
    {
        string[] payloads = ["one", "two", "three", "four"];
        _api.On("POST", "/ingest", FakeHttpResponse.Text("down", 503));
        var config = DurableHttpRoute();
        var journal = JournalPath;
        await using (var hub = HubProcess.Start(_temp.Path, "run", "--config", config))
        {
            await _broker.WaitForLogAsync("Sending SUBACK to " + ClientId, Wait);
            foreach (var payload in payloads)
            {
                await MosquittoClients.PublishAsync(_broker, "torn/data", payload, qos: 1);
            }

            // Every item is journaled and acknowledged to the broker, the first waits for its retry in an hour: nothing is done yet.
            await FileWait.UntilAsync(journal, text => text.Contains("four", StringComparison.Ordinal), Wait);
            await _broker.WaitForLogAsync("Received PUBACK from fault-torn", Wait, count: payloads.Length);
            await hub.WaitForLineAsync("Retrying http:api in", Wait);
            hub.Signal(9);
            await hub.WaitForExitAsync(Wait);
        }

        // Tear the last record: cut it in the middle of its message.
        var length = new FileInfo(journal).Length;
        var before = _api.Requests.Count;
        var lastRecord = File.ReadAllBytes(journal).AsSpan().LastIndexOf("four"u8); // the last record's payload
        Assert.True(lastRecord > 0, "the journal holds the last item");
        using (var file = new FileStream(journal, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(lastRecord + 3);
        }

        output.WriteLine($"journal cut from {length} to {lastRecord + 3} bytes");
        _api.On("POST", "/ingest", FakeHttpResponse.Text("ok"));
        await using (var hub = HubProcess.Start(_temp.Path, "run", "--config", config))
        {
            await hub.WaitForLineAsync("is torn or corrupt", Wait);
            await hub.WaitForLineAsync("Delivering 3 journaled notifications for http:api left from the last run", Wait);
            await _broker.WaitForLogAsync("Sending SUBACK to " + ClientId, Wait, count: 2);
            var requests = await _api.WaitForRequestsAsync(before + 3, Wait);
            var delivered = requests.Skip(before).Select(r => r.BodyText).ToList();
            Assert.Equal(["one", "two", "three"], delivered);
            Assert.Single(hub.Lines, l => l.Contains("is torn or corrupt", StringComparison.Ordinal));

            var figures = FaultFigures.Count("journal's last record torn", "http (durable)", payloads, delivered, "the torn record's message had been acknowledged: it is the one lost");
            figures.Report(output);
            Assert.Equal(1, figures.Lost);
        }
    }

    [Fact]
    public async Task A_journal_written_by_a_newer_version_stops_the_start_with_its_path_and_no_stack_trace()
    {
        var config = DurableHttpRoute();
        var journal = JournalPath;
        Directory.CreateDirectory(Path.GetDirectoryName(journal)!);
        using (var file = File.Create(journal))
        {
            JournalRecords.Write(file, 9, 1, [1, 2, 3]);
        }

        var written = await File.ReadAllBytesAsync(journal);

        var (code, output) = await HubProcess.RunAsync(_temp.Path, "run", "--config", config);

        Assert.NotEqual(0, code);
        Assert.Contains($"hub: cannot start: Journal {journal}: the record at offset 0 is of kind 9, which a newer version of Hub writes", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.Equal(written, await File.ReadAllBytesAsync(journal));
    }
}
