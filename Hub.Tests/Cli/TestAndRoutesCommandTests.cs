using Hub.Tests.Support;

namespace Hub.Tests.Cli;

public sealed class TestAndRoutesCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _config;

    public TestAndRoutesCommandTests()
    {
        _config = _temp.Write("hub.ini", $$"""
            [defaults]
            plugins = '{{Repo.PluginDirectory}}'
            username = hub
            password = s3cret-pw
            launch = log, file

            [config:log]
            rate.warn = 20/min
            max_queue.warn = 50
            durable.warn = true
            failover = file:f
            retries = 2
            targets = { 'info': ['info'], 'warn': ['warn'] }

            [config:file]
            api_token = tok-123456
            targets = { 'f': ['{{_temp.File("f.log")}}'] }

            [sensors/+/temp]
            targets = log:info, file:f
            title = Temp {device}
            format = {device}: {value:.1f}
            priority = {level}

            [sensors/#]
            targets = {
                'sensors/attic/#' : 'log:warn',
              }
            dedup = 10m
            format.log.warn = W {payload}
            """);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Hub_test_shows_data_targets_and_exactly_what_each_target_receives()
    {
        var (code, output, error) = await CliRunner.RunAsync("test", "--config", _config, "sensors/attic/temp", """{"device": "attic", "value": 31.26, "level": 3}""");
        Assert.True(code == 0, output + error);
        Assert.Contains("[sensors/+/temp] matches", output);
        Assert.Contains("device = 'attic'", output);
        Assert.Contains("value = 31.26", output);
        Assert.Contains("-> log:info", output);
        Assert.Contains("-> file:f", output);
        Assert.Contains("title:    Temp attic", output);
        Assert.Contains("message:  'attic: 31.3'", output);
        Assert.Contains("priority: 3", output);
        Assert.Contains("[sensors/#] matches", output);
        Assert.Contains("-> log:warn", output);
        Assert.False(File.Exists(_temp.File("f.log")), "hub test must send nothing");
    }

    [Fact]
    public async Task Hub_test_shows_a_failing_format_and_title_with_the_reason_and_the_fallback_and_exits_1()
    {
        const string Payload = """{"value": "warm", "level": 1}""";
        var (code, output, error) = await CliRunner.RunAsync("test", "--config", _config, "sensors/kitchen/temp", Payload);
        Assert.True(code == 1, output + error);
        // What mqttwarn would deliver: the default title and the payload...
        Assert.Contains("title:    hub: sensors/kitchen/temp", output);
        Assert.Contains($"message:  '{Payload}'", output);
        // ...and why, once per field.
        Assert.Single(output.Split('\n'), l => l.StartsWith("  error: title 'Temp {device}' failed: ", StringComparison.Ordinal) && l.Contains("device", StringComparison.Ordinal)
            && l.EndsWith("; falls back to 'hub: sensors/kitchen/temp'", StringComparison.Ordinal));
        Assert.Single(output.Split('\n'), l => l.StartsWith("  error: format '{device}: {value:.1f}' failed: ", StringComparison.Ordinal)
            && l.EndsWith($"; falls back to the payload '{Payload}'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hub_test_says_when_no_section_matches()
    {
        var (code, output, _) = await CliRunner.RunAsync("test", "--config", _config, "other/topic", "x");
        Assert.Equal(0, code);
        Assert.Contains("No topic section matches", output);
    }

    [Fact]
    public async Task Hub_routes_lists_subscriptions_routes_and_targets_with_secrets_masked()
    {
        var (code, output, error) = await CliRunner.RunAsync("routes", "--config", _config);
        Assert.True(code == 0, error);
        Assert.Contains("sensors/+/temp  (qos 0)", output);
        Assert.Contains("sensors/#  (qos 0)", output);
        Assert.Contains("-> info: ['info']", output);
        Assert.Contains("       delivery: 2 retries from 1 s (at most 5 min apart, within 1 h); failover file:f; queue 10000\n", output.ReplaceLineEndings("\n"));
        Assert.Contains("       delivery: 2 retries from 1 s (at most 5 min apart, within 1 h); failover file:f; rate 20 per 1 min; queue 50, durable", output);
        Assert.Contains("       delivery: 5 retries from 1 s", output);
        Assert.Contains("    format.log.warn W {payload}", output);
        Assert.Contains("    dedup:    10 min", output);
        Assert.Contains("api_token = ********", output);
        Assert.DoesNotContain("tok-123456", output);
        Assert.DoesNotContain("s3cret-pw", output);
    }

    [Fact]
    public async Task Hub_notify_sends_one_message_through_a_configured_target()
    {
        var (code, output, error) = await CliRunner.RunAsync("notify", "--config", _config, "file:f", "hello from notify");
        Assert.True(code == 0, output + error);
        Assert.Equal("hello from notify", File.ReadAllText(_temp.File("f.log")));
    }

    [Fact]
    public async Task Hub_notify_merges_data_given_as_json_for_templated_descriptors()
    {
        var config = _temp.Write("data.ini", $$"""
            [defaults]
            plugins = '{{Repo.PluginDirectory}}'
            launch = file

            [config:file]
            targets = { 'room': ['{{_temp.Path}}/{room}.log'] }
            """);
        var (code, output, error) = await CliRunner.RunAsync("notify", "--config", config, "file:room", "door open", "--data", """{"room": "hall"}""");
        Assert.True(code == 0, output + error);
        Assert.Equal("door open", File.ReadAllText(_temp.File("hall.log")));

        (code, _, error) = await CliRunner.RunAsync("notify", "--config", config, "file:room", "x", "--data", "[1, 2]");
        Assert.Equal(2, code);
        Assert.Contains("--data must be a JSON object", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hub_notify_with_an_unknown_target_is_a_usage_error()
    {
        var (code, _, error) = await CliRunner.RunAsync("notify", "--config", _config, "file:nope", "x");
        Assert.Equal(2, code);
        Assert.Contains("has no target 'nope'", error);
    }
}
