using Hub.Tests.Support;

namespace Hub.Tests.Cli;

public sealed class TestCommandRulesTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _config;

    public TestCommandRulesTests()
    {
        _config = _temp.Write("hub.ini", $$"""
            [defaults]
            plugins = '{{Repo.PluginDirectory}}'
            launch = log

            [config:log]
            targets = { 'crit': ['crit'] }

            [rule:boiler-hot]
            topic = boiler/+
            value = temp
            key = {topic}/{room}
            when = value > 80 and ewma > 0
            recover = value < 75
            for = 1m
            severity = critical
            targets = log:crit
            """);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Hub_test_shows_each_matching_rule_with_its_value_derived_values_and_verdict()
    {
        var (code, output, error) = await CliRunner.RunAsync("test", "--config", _config, "boiler/1", """{"temp": 85.5, "room": "cellar"}""");

        Assert.True(code == 0, error + output);
        Assert.Contains("No topic section matches", output);
        Assert.Contains("[rule:boiler-hot] matches (", output);
        Assert.Contains("  key:      boiler/1/cellar", output);
        Assert.Contains("  value:    85.5 (value = temp)", output);
        Assert.Contains("    ewma = 85.5", output);
        Assert.Contains("    threshold = 80", output);
        Assert.Contains("  when:     value > 80 and ewma > 0 → true", output);
        Assert.Contains("  recover:  value < 75 → false", output);
        Assert.Contains("  verdict:  pending (when holds; fires after 1 min), severity critical", output);
    }

    [Fact]
    public async Task Hub_test_reports_a_value_a_rule_cannot_read_as_an_error()
    {
        var (code, output, _) = await CliRunner.RunAsync("test", "--config", _config, "boiler/1", """{"room": "cellar"}""");

        Assert.Equal(1, code);
        Assert.Contains("  error:    the payload has no field 'temp'", output);
        Assert.Contains("  verdict:  error", output);
    }
}
