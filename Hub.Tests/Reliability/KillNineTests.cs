using System.Globalization;
using Hub.Tests.EndToEnd;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>
/// kill -9 of the real hub, three times at seeded random moments, while 20,000 QoS 1 messages stream
/// through a persistent session to a file target (every message) and a real SMTP server (every 20th
/// message: a mail per message is the slow path, and 1,000 of them keep the test short). Each kill
/// is followed by a restart. Nothing may be lost at either target; duplicates are counted and reported.
/// With <c>durable = true</c> the hub resumes from its journals; without it, the broker redelivers
/// what the hub had not acknowledged (a message is acknowledged once its targets accepted it).
/// </summary>
public sealed class KillNineTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Messages = 20_000;
    private const int MailEvery = 20;
    private const int Kills = 3;
    private const string ClientId = "fault-kill";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _temp = new();
    private MosquittoBroker _broker = null!;
    private SmtpServer _smtp = null!;

    public async Task InitializeAsync()
    {
        // Unlimited queue for the hub's session while it is down (mosquitto's default drops past 1,000).
        _broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { ExtraConfig = "max_queued_messages 0" });
        _smtp = await SmtpServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _smtp.DisposeAsync();
        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public Task With_durable_targets_nothing_is_lost_across_three_kill_9_restarts() => KillRestartAndCountAsync(durable: true, seed: 61);

    [Fact]
    public Task Without_durable_targets_the_broker_redelivers_what_was_not_acknowledged_and_nothing_is_lost() => KillRestartAndCountAsync(durable: false, seed: 62);

    private async Task KillRestartAndCountAsync(bool durable, int seed)
    {
        var scenario = durable ? "kill -9 x3, durable" : "kill -9 x3, not durable";
        var outPath = _temp.File("out.log");
        var config = _temp.Write("hub.ini", $$"""
            {{FaultConfig.Defaults(_broker, ClientId, $"launch = file, smtp\ncleansession = False\ndurable = {(durable ? "True" : "False")}\nretry_backoff = 100ms")}}

            [config:file]
            append_newline = True
            targets = { 'out': ['{{outPath}}'] }

            [config:smtp]
            server = '{{_smtp.Server}}'
            sender = 'hub@example.org'
            targets = { 'ops': ['ops@example.org'] }

            [stream/file]
            targets = file:out
            qos = 1

            [stream/mail]
            targets = file:out, smtp:ops
            qos = 1
            title = {payload}
            """);
        var random = new Random(seed);
        var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        var runs = new List<HubProcess> { hub };
        try
        {
            await _broker.WaitForLogAsync("Sending SUBACK to " + ClientId, Wait);
            var publishing = NumberedStream.PublishAsync(_broker, "fault-kill-publisher", 0, Messages, n => n % MailEvery == 0 ? "stream/mail" : "stream/file", Wait);

            for (var kill = 0; kill < Kills; kill++)
            {
                // A random moment: after the running hub wrote another 1,000 to 4,000 lines.
                var lines = File.Exists(outPath) ? CountLines(outPath) : 0;
                var after = lines + random.Next(1_000, 4_000);
                await FileWait.UntilAsync(outPath, text => text.Count(c => c == '\n') >= after, Wait);
                hub.Signal(9);
                await hub.WaitForExitAsync(Wait);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kill -9 #{kill + 1} after {after} lines"));
                hub = HubProcess.Start(_temp.Path, "run", "--config", config);
                runs.Add(hub);
            }

            await publishing;
            var expected = NumberedStream.Ids(0, Messages);
            var mails = expected.Where((_, n) => n % MailEvery == 0).ToList();
            await FileWait.UntilAsync(outPath, text => NumberedStream.IdsIn(text).Distinct().Count() >= Messages, Wait);
            await Condition.UntilAsync(() => _smtp.Messages.Select(m => m.Subject).Distinct().Count() >= mails.Count, Wait, "every mail arriving");

            var file = FaultFigures.Count(scenario, "file", expected, NumberedStream.IdsIn(File.ReadAllText(outPath)), $"{Kills} kills, seed {seed}");
            var smtp = FaultFigures.Count(scenario, "smtp", mails, _smtp.Messages.Select(m => m.Subject), $"{Kills} kills, seed {seed}");
            file.Report(output);
            smtp.Report(output);
            Assert.Equal(0, file.Lost);
            Assert.Equal(0, smtp.Lost);
        }
        finally
        {
            foreach (var run in runs)
            {
                await run.DisposeAsync();
            }
        }
    }

    private static int CountLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var count = 0;
        int b;
        while ((b = stream.ReadByte()) >= 0)
        {
            count += b == '\n' ? 1 : 0;
        }

        return count;
    }
}
