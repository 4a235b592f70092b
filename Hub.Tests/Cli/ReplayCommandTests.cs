using System.Text.Json;
using Hub.Tests.Support;

namespace Hub.Tests.Cli;

public sealed class ReplayCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _config;

    public ReplayCommandTests()
    {
        _config = _temp.Write("hub.ini", $$"""
            [defaults]
            plugins = '{{Repo.PluginDirectory}}'
            state_dir = '{{_temp.File("state")}}'

            [rule:boiler-hot]
            topic = boiler/+
            value = temp
            when = value > 80
            recover = value < 75
            for = 2m
            severity = critical
            summary = {key} at {value}

            [rule:quiet]
            topic = meter/+
            when = value > 1000
            expect_every = 10m
            """);
    }

    public void Dispose() => _temp.Dispose();

    private static List<JsonElement> Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    [Fact]
    public async Task A_csv_with_a_topic_is_replayed_in_event_time_and_every_transition_printed_as_json_with_its_time()
    {
        var data = _temp.Write("boiler.csv", """
            timestamp,value
            2026-03-01T10:00:00Z,{"temp": 70}
            2026-03-01T10:01:00Z,"{""temp"": 85}"
            2026-03-01T10:02:00Z,"{""temp"": 86}"
            2026-03-01T10:03:30Z,"{""temp"": 90}"
            2026-03-01T10:05:00Z,"{""temp"": 70}"
            """);

        var (code, output, error) = await CliRunner.RunAsync("replay", "--config", _config, data, "--topic", "boiler/1", "--rule", "boiler-hot");

        Assert.True(code == 0, error + output);
        var lines = Lines(output);
        Assert.Equal(["pending", "firing", "normal"], lines.Select(l => l.GetProperty("state").GetString()));
        Assert.Equal(["2026-03-01T10:01:00.000Z", "2026-03-01T10:03:00.000Z", "2026-03-01T10:05:00.000Z"], lines.Select(l => l.GetProperty("time").GetString()));
        Assert.Equal("boiler-hot", lines[1].GetProperty("rule").GetString());
        Assert.Equal("boiler/1", lines[1].GetProperty("key").GetString());
        Assert.Equal("critical", lines[1].GetProperty("severity").GetString());
        Assert.False(lines[1].GetProperty("flapping").GetBoolean());
        Assert.Contains("5 messages, 5 evaluations, 3 transitions", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.File("state")), "replay writes no state");
    }

    [Fact]
    public async Task Json_lines_with_epoch_seconds_and_a_time_window_drive_nodata_on_the_virtual_clock()
    {
        var data = _temp.Write("meters.jsonl", """
            {"ts": 1767225600, "topic": "meter/a", "payload": 10}
            {"ts": 1767225660, "topic": "meter/a", "payload": 12}
            {"ts": 1767226800, "topic": "meter/a", "payload": 11}
            {"ts": 1767230000, "topic": "meter/a", "payload": 11}
            not json
            """);

        var (code, output, error) = await CliRunner.RunAsync("replay", "--config", _config, data, "--to", "1767229000");

        Assert.True(code == 0, error + output);
        var lines = Lines(output);
        Assert.Equal(["nodata", "normal", "nodata"], lines.Select(l => l.GetProperty("state").GetString()));
        Assert.Equal("2026-01-01T00:11:00.000Z", lines[0].GetProperty("time").GetString());
        Assert.Contains("meters.jsonl:5: not JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_rule_is_a_usage_error()
    {
        var data = _temp.Write("x.csv", "1767225600,boiler/1,{\"temp\": 1}\n");

        var (code, _, error) = await CliRunner.RunAsync("replay", "--config", _config, data, "--rule", "nope");

        Assert.Equal(2, code);
        Assert.Contains("No such rule: nope", error, StringComparison.Ordinal);
    }
}
