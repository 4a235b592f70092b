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
