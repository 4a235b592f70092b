using static Hub.Tests.Support.ConfigTestLoader;

namespace Hub.Tests.Config.Sections;

public sealed class CronAndFailoverTests
{
    [Fact]
    public void Cron_entries_are_parsed_with_interval_now_and_line()
    {
        var result = Load("[cron]\npinger = 10.5\nPublish_IP = '60; now=true'\nlater = 5 ; now = no\n");

        Assert.True(result.Success);
        var cron = result.Config!.Cron;
        Assert.Equal(["pinger", "publish_ip", "later"], cron.Select(c => c.FunctionName));
        Assert.Equal([10.5, 60.0, 5.0], cron.Select(c => c.IntervalSeconds));
        Assert.Equal([false, true, false], cron.Select(c => c.Now));
        Assert.Equal([2, 3, 4], cron.Select(c => c.Location.Line));
    }

    [Theory]
    [InlineData("pinger = 0", "The interval of 'pinger' must be a number of seconds greater than 0")]
    [InlineData("pinger = soon", "The interval of 'pinger' must be a number of seconds greater than 0")]
    [InlineData("pinger = 5; now=sometimes", "The option 'now' of 'pinger' must be a boolean")]
    public void A_bad_cron_line_is_an_error_at_its_line(string line, string message)
    {
        AssertError(Load($"[cron]\n\n{line}\n"), 3, message);
    }

    [Fact]
    public void A_cron_line_may_be_a_cron_expression_with_a_time_zone()
    {
        var cron = Assert.Single(LoadValid("[cron]\nreport = 0 30 6 ? * MON-FRI; tz=Europe/Berlin\n").Cron);

        Assert.Equal(("0 30 6 ? * MON-FRI", "Europe/Berlin"), (cron.Cron, cron.TimeZone.Id));
        // Monday 2026-12-07 06:30 in Berlin is 05:30 UTC.
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 5, 30, 0, TimeSpan.Zero), cron.NextAfter(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("report = 0 0 25 * * ?", "neither a number of seconds nor a valid cron expression")]
    [InlineData("report = 0 0 6 * * ?; tz=Moon/Base", "Unknown time zone 'Moon/Base' for 'report'")]
    public void A_bad_cron_expression_or_zone_is_an_error_at_its_line(string line, string message)
    {
        AssertError(Load($"[cron]\n\n{line}\n"), 3, message);
    }

    [Fact]
    public void An_unknown_cron_option_is_a_warning()
    {
        AssertWarning(Load("[cron]\npinger = 5; every=day\n"), 2, "Unknown [cron] option 'every'");
    }

    [Fact]
    public void Failover_is_a_topic_section_for_internal_events_and_not_subscribed()
    {
        var config = LoadValid(WithLog("[failover]\ntargets = log:crit\ntitle = 'Broker'\ntopic = ignored\nqos = 7\nfilter = also_ignored\n"));

        Assert.Empty(config.Sections);
        var failover = config.Failover!;
        Assert.Equal(("failover", "Broker", 0), (failover.Topic, failover.Title, failover.Qos));
        Assert.Equal(["log:crit"], Assert.IsType<Hub.Config.TargetList>(failover.Targets).References);
    }

    [Fact]
    public void A_failover_without_targets_is_skipped_with_a_warning()
    {
        var result = Load(WithLog("[failover]\ntitle = x\n"));

        Assert.Null(result.Config!.Failover);
        AssertWarning(result, 7, "Section `failover' has no targets defined");
    }
}
