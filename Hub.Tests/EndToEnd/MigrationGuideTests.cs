using System.Text.RegularExpressions;
using Hub.Tests.Support;

namespace Hub.Tests.EndToEnd;

/// <summary>
/// docs/migration.md's worked cases, taken from the page as printed (the blocks after <c>&lt;!-- file: NAME --&gt;</c>),
/// checked with <c>hub check</c> and run by the real hub against a real mosquitto.
/// </summary>
public sealed partial class MigrationGuideTests : IAsyncLifetime
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

    private static Dictionary<string, string> GuideFiles()
    {
        var page = File.ReadAllText(Path.Combine(Repo.Root, "docs", "migration.md"));
        return FileBlock().Matches(page).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["body"].Value);
    }

    /// <summary>The guide's files in the temp folder: its log folder moved there, its [defaults] pointed at the test broker.</summary>
    private string WriteGuide()
    {
        var files = GuideFiles();
        Assert.Equal(["hub.ini", "udf.py"], files.Keys.Order(StringComparer.Ordinal));
        _temp.Write("udf.py", files["udf.py"]);
        var ini = files["hub.ini"].Replace("/var/log/hub/", _temp.Path + "/", StringComparison.Ordinal)
            .Replace("[defaults]\n", HubConfigFiles.Defaults(_broker, "migration-guide") + "\n", StringComparison.Ordinal);
        return _temp.Write("hub.ini", ini);
    }

    [Fact]
    public async Task The_worked_cases_pass_hub_check()
    {
        var config = WriteGuide();

        var (code, output, error) = await Cli.CliRunner.RunAsync("check", "--config", config);

        Assert.True(code == 0, error + output);
    }

    [Fact]
    public async Task The_battery_filter_topic_parts_owner_targets_and_heartbeat_do_what_the_guide_says()
    {
        var config = WriteGuide();
        await using var heartbeat = await MosquittoClients.SubscribeAsync(_broker, "hub/heartbeat");
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        await hub.WaitForLineAsync("Subscribed", Wait);

        Assert.Equal("hub/heartbeat {\"alive\": true, \"by\": \"hub\"}", await heartbeat.ReadAsync(Wait));
        await MosquittoClients.PublishAsync(_broker, "owntracks/joe/tablet", """{"batt": 80}""");
        await MosquittoClients.PublishAsync(_broker, "owntracks/jane/phone", """{"batt": 12}""");
        await MosquittoClients.PublishAsync(_broker, "owntracks/ann/watch", """{"batt": 5}""");
        await MosquittoClients.PublishAsync(_broker, "owntracks/ann/watch", "offline");

        Assert.Equal("jane's phone: battery 12%\n", await FileWait.LinesAsync(_temp.File("jane.log"), 1, Wait));
        Assert.Equal("ann's watch: battery 5%\noffline\n", await FileWait.LinesAsync(_temp.File("others.log"), 2, Wait));
        await hub.WaitForLineAsync("not JSON on owntracks/ann/watch, passing it on", Wait);
        Assert.Contains(hub.Lines, l => l.Contains("Filter in section [owntracks/+/+] has skipped message on owntracks/joe/tablet", StringComparison.Ordinal));
        Assert.False(File.Exists(_temp.File("joe.log")));
    }

    [GeneratedRegex(@"<!-- file: (?<name>[\w.]+) -->\n```\w+\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex FileBlock();
}
