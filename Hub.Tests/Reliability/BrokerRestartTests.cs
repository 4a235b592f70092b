using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>
/// mosquitto (persistence on, unlimited queues) restarted three times on the same port while the real hub
/// (persistent session, QoS 1 route) works through a stream: whatever the broker acknowledged to the
/// publisher reaches the file target, at least once.
/// </summary>
public sealed class BrokerRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Chunk = 2_500;
    private const int Restarts = 3;
    private const string ClientId = "fault-broker";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _temp = new();
    private HubProcess? _hub;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() =>
        _broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Persistence = true, ExtraConfig = "max_queued_messages 0" });

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
    public async Task Three_broker_restarts_during_a_QoS_1_stream_lose_nothing()
    {
        var outPath = _temp.File("out.log");
        var config = _temp.Write("hub.ini", $$"""
            {{FaultConfig.Defaults(_broker, ClientId, "launch = file\ncleansession = False")}}

            [config:file]
            append_newline = True
            targets = { 'out': ['{{outPath}}'] }

            [stream/#]
            targets = file:out
            qos = 1
            """);
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        _hub = hub;
        await _broker.WaitForLogAsync("Sending SUBACK to " + ClientId, Wait);

        for (var restart = 0; restart < Restarts; restart++)
        {
            // Once the publisher has its PUBACKs the broker holds the chunk; the restart comes while the hub still works through it.
            await NumberedStream.PublishAsync(_broker, "fault-broker-publisher", restart * Chunk, Chunk, _ => "stream/data", Wait);
            await _broker.RestartAsync();
        }

        await NumberedStream.PublishAsync(_broker, "fault-broker-publisher", Restarts * Chunk, Chunk, _ => "stream/data", Wait);
        var sent = (Restarts + 1) * Chunk;
        var expected = NumberedStream.Ids(0, sent);
        await FileWait.UntilAsync(outPath, text => NumberedStream.IdsIn(text).Distinct().Count() >= sent, Wait);

        var figures = FaultFigures.Count("mosquitto restarted x3", "file", expected, NumberedStream.IdsIn(File.ReadAllText(outPath)), "persistence on, cleansession = False");
        figures.Report(output);
        Assert.Equal(0, figures.Lost);
        Assert.True(hub.Lines.Count(l => l.Contains("Broker connection lost", StringComparison.Ordinal)) >= 1, hub.Output);
    }
}
