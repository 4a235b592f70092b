using Hub.Config;
using Hub.Tests.Support;

namespace Hub.Tests.Config.Sections;

public sealed class RuleReaderTests
{
    [Fact]
    public void A_rule_section_is_read_with_its_keys_and_the_defaults_of_the_others()
    {
        var config = ConfigTestLoader.LoadValid(ConfigTestLoader.WithLog("""
            [rule:hot]
            topic = sensors/+/temp
            when = value > 30
            recover = value < 28    ; hysteresis
            for = 2m
            severity = critical
            summary = {key} is {value:.1f} (above {threshold})
            labels = {'site': 'north'}
            targets = log:crit
            window = 100
            """));

        var rule = Assert.Single(config.Rules);
        Assert.Equal("hot", rule.Options.Name);
        Assert.Equal("sensors/+/temp", rule.Options.Topic);
        Assert.Equal("value > 30", rule.Options.When);
        Assert.Equal("value < 28", rule.Options.Recover);
        Assert.Equal("{topic}", rule.Options.Key);
        Assert.Null(rule.Options.Value);
        Assert.Equal(TimeSpan.FromMinutes(2), rule.Options.Alarm.For);
        Assert.Equal(TimeSpan.Zero, rule.Options.Alarm.ClearFor);
        Assert.Equal("critical", rule.Options.Alarm.Severity);
        Assert.Equal("north", rule.Options.Alarm.Labels["site"]);
        Assert.Null(rule.Options.Alarm.Repeat);
        Assert.Equal(100, rule.Options.Derived.WindowCount);
        Assert.Equal(0.3, rule.Options.Derived.EwmaAlpha);
        var targets = Assert.IsType<TargetList>(rule.Targets);
        Assert.Equal(["log:crit"], targets.References);
        Assert.Equal("rule:hot", rule.Route!.Name);
        Assert.Equal(7, rule.Options.Line);
    }

    [Fact]
    public void Rule_sections_are_not_topic_sections()
    {
        var config = ConfigTestLoader.LoadValid(ConfigTestLoader.WithLog("[rule:hot]\ntopic = a/b\nwhen = value > 1\ntargets = log:info\n"));

        Assert.Empty(config.Sections);
        Assert.Single(config.Rules);
    }

    [Fact]
    public void Every_bad_value_of_every_rule_is_an_error_at_its_line_in_one_run()
    {
        var result = ConfigTestLoader.Load(ConfigTestLoader.WithLog("""
            [rule:one]
            topic = a/#/b
            when = value >
            for = soon

            [rule:two]
            topic = c/d
            when = frobnicate(value) > 3
            value = rate * 2
            ewma_alpha = 2
            window = 1
            summary = {value
            """));

        ConfigTestLoader.AssertError(result, 8, "not a valid topic filter");
        ConfigTestLoader.AssertError(result, 9, "'when' is not a valid expression: the expression ends too early");
        ConfigTestLoader.AssertError(result, 10, "'for' must be a duration");
        ConfigTestLoader.AssertError(result, 14, "unknown function 'frobnicate'");
        ConfigTestLoader.AssertError(result, 15, "'rate' is a derived value");
        ConfigTestLoader.AssertError(result, 16, "'ewma_alpha' must be a number above 0 to 1");
        ConfigTestLoader.AssertError(result, 17, "'window' must be a count from 2");
        ConfigTestLoader.AssertError(result, 18, "'summary' is not a valid format string");
        Assert.All(result.Errors, e => Assert.EndsWith("hub.ini", e.Location.File));
    }

    [Fact]
    public void A_rule_without_topic_or_when_is_an_error_at_its_header()
    {
        var result = ConfigTestLoader.Load(ConfigTestLoader.WithLog("[rule:empty]\nseverity = info\n"));

        ConfigTestLoader.AssertError(result, 7, "needs 'topic ='");
        ConfigTestLoader.AssertError(result, 7, "needs 'when ='");
    }

    [Fact]
    public void An_unknown_key_is_a_warning_and_an_unknown_target_service_too()
    {
        var result = ConfigTestLoader.Load(ConfigTestLoader.WithLog("[rule:r]\ntopic = a\nwhen = value > 1\nsevertiy = info\ntargets = nosuch:x\n"));

        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        ConfigTestLoader.AssertWarning(result, 10, "Unknown key 'severtiy'");
        ConfigTestLoader.AssertWarning(result, 11, "non-existing service 'nosuch'");
    }

    [Fact]
    public void A_window_is_a_span_or_a_count_and_zero_for_means_at_once()
    {
        var config = ConfigTestLoader.LoadValid(ConfigTestLoader.WithLog("[rule:r]\ntopic = a\nwhen = mean > 1\nwindow = 15m\nfor = 0\ndeadband = 0.5\n"));

        var rule = Assert.Single(config.Rules).Options;
        Assert.Equal(TimeSpan.FromMinutes(15), rule.Derived.WindowSpan);
        Assert.Null(rule.Derived.WindowCount);
        Assert.Equal(TimeSpan.Zero, rule.Alarm.For);
        Assert.Equal(0.5, rule.Derived.Deadband);
    }
}
