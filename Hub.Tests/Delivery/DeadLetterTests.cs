using System.Text;
using Hub.Delivery;
using Hub.Plugins;
using Hub.Tests.Cli;
using Hub.Tests.Support;

namespace Hub.Tests.Delivery;

/// <summary>The dead-letter store, the queue's give-up path into it, and <c>hub dlq list|replay|purge</c>.</summary>
public sealed class DeadLetterTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private DeadLetterStore Store => new(Path.Combine(_temp.Path, ".hub-state", "dead-letters"), TimeProvider.System);

    [Fact]
    public void A_letter_keeps_the_item_its_data_and_the_reason()
    {
        var data = Some.Dict(("topic", "alarms/1"), ("value", 21.5), ("nested", Some.Dict(("a", Some.List(1L, "zwei", null)))), ("text", "Grüße ✓"), ("raw", new byte[] { 1, 2 }));
        var item = Some.Item("Grüße ✓ pump hot", topic: "alarms/1", data: data);
        var id = Store.Add(item, "3 retries exhausted: HTTP 503");

        var letter = Assert.Single(Store.List());
        Assert.Equal(id, letter.Id);
        Assert.Equal(("svc", "t", "alarms/1", "3 retries exhausted: HTTP 503"), (letter.Service, letter.Target, letter.Topic, letter.Reason));
        Assert.Equal("Grüße ✓ pump hot", letter.Message);
        Assert.Equal(item.Payload.ToArray(), letter.Payload);
        Assert.Equal(21.5, letter.Data["value"]);
        Assert.Equal("Grüße ✓", letter.Data["text"]);
        Assert.Equal("zwei", ((IReadOnlyList<object?>)((IReadOnlyDictionary<string, object?>)letter.Data["nested"]!)["a"]!)[1]);
        Assert.False(letter.Data.ContainsKey("raw")); // bytes have no JSON form: left out, the rest kept
        Assert.Empty(Directory.GetFiles(Store.Directory, "*.tmp"));
    }

    [Fact]
    public void A_binary_item_keeps_its_bytes_and_an_unreadable_file_is_reported_not_thrown()
    {
        var bytes = new byte[] { 0xFF, 0x00, 0x89, 0x50 };
        Store.Add(new DeliveryItem { Service = "svc", Section = "s", Target = "t", Topic = "t/1", Message = "", IsBinary = true, MessageBytes = bytes, Payload = bytes }, "a permanent failure");
        File.WriteAllText(Path.Combine(Store.Directory, "broken.json"), "{ not json");

        var problems = new List<string>();
        var letter = Assert.Single(Store.Read(null, problems));
        Assert.True(letter.IsBinary);
        Assert.Equal(bytes, letter.MessageBytes);
        Assert.Contains("broken.json: not a readable dead letter", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_queue_keeps_what_it_gives_up_on_as_a_dead_letter_when_no_failover_takes_it()
    {
        var log = new CollectingLogger();
        var queue = new TargetQueue("svc", "t", new RunningSink("svc", new ThrowingSink(), Wait, log), 10, DeliveryPolicy.None, TimeProvider.System, log) { DeadLetters = Store };
        using var stop = new CancellationTokenSource();
        queue.Start(stop.Token);
        await queue.EnqueueAsync(Some.Item("lost?"), CancellationToken.None);
        await queue.DrainAsync(new CancellationTokenSource(Wait).Token);

        var letter = Assert.Single(Store.List());
        Assert.Equal("lost?", letter.Message);
        Assert.Equal((1L, 1L), (queue.Counters.Failed, queue.Counters.DeadLettered));
        Assert.Contains(log.Records, r => r.Message.Contains($"kept as dead letter {letter.Id} (hub dlq list)", StringComparison.Ordinal));
    }

    private string Config() => _temp.Write("hub.ini", $"""
        [defaults]
        plugins = '{Repo.PluginDirectory}'
        launch = file

        [config:file]
        append_newline = True
        targets = {"{"} 'out': ['{_temp.File("out.log")}'], 'other': ['{_temp.File("other.log")}'] {"}"}
        """);

    private static DeliveryItem FileItem(string message, string target) => new()
    {
        Service = "file",
        Section = "t/1",
        Target = target,
        Topic = "t/1",
        Message = message,
        Payload = Encoding.UTF8.GetBytes(message),
        MessageBytes = Encoding.UTF8.GetBytes(message),
    };

    [Fact]
    public async Task Hub_dlq_lists_replays_and_purges_by_target()
    {
        var config = Config();
        Store.Add(FileItem("first", "out"), "2 retries exhausted: disk full");
        Store.Add(FileItem("second\nline", "out"), "2 retries exhausted: disk full");
        Store.Add(FileItem("elsewhere", "other"), "a permanent failure");
        Store.Add(FileItem("orphan", "gone"), "a permanent failure");

        var (code, output, error) = await CliRunner.RunAsync("dlq", "list", "--config", config);
        Assert.True(code == 0, error);
        Assert.Contains("file:out  topic=t/1  reason: 2 retries exhausted: disk full", output, StringComparison.Ordinal);
        Assert.Contains("    second line", output, StringComparison.Ordinal);
        Assert.Contains("4 dead letter(s)", output, StringComparison.Ordinal);

        (code, output, error) = await CliRunner.RunAsync("dlq", "replay", "--target", "file:out", "--config", config);
        Assert.True(code == 0, error + output);
        Assert.Equal("first\nsecond\nline\n", await File.ReadAllTextAsync(_temp.File("out.log")));
        Assert.Contains("Replayed 2 of 2 dead letter(s)", output, StringComparison.Ordinal);

        (code, output, error) = await CliRunner.RunAsync("dlq", "replay", "--config", config);
        Assert.Equal(1, code);
        Assert.Contains("file:gone is not a configured sink target any more; kept", error, StringComparison.Ordinal);
        Assert.Equal("elsewhere\n", await File.ReadAllTextAsync(_temp.File("other.log")));
        Assert.Equal(["orphan"], Store.List().Select(l => l.Message));

        (code, output, _) = await CliRunner.RunAsync("dlq", "purge", "--target", "file", "--config", config);
        Assert.Equal(0, code);
        Assert.Contains("Purged 1 dead letter(s) of file", output, StringComparison.Ordinal);
        Assert.Empty(Store.List());
        (_, output, _) = await CliRunner.RunAsync("dlq", "list", "--config", config);
        Assert.Contains("No dead letters", output, StringComparison.Ordinal);
    }
}
