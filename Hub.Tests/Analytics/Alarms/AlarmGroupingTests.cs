using Hub.Analytics;
using Hub.Tests.Support;
using Xunit;

namespace Hub.Tests.Analytics.Alarms;

public sealed class AlarmGroupingTests
{
    private static RuleOptions Grouped(params string[] groupBy) => AlarmRig.Rule("down", new AlarmPolicy
    {
        GroupBy = groupBy,
        GroupWait = TimeSpan.FromSeconds(30),
        GroupInterval = TimeSpan.FromMinutes(5),
        CorrelateMin = 0,
    });

    [Fact]
    public void A_storm_of_alarms_within_the_group_wait_becomes_one_message_listing_them()
    {
        using var rig = new AlarmRig(Grouped());
        for (var i = 1; i <= 5; i++)
        {
            rig.Sample("down", $"pump{i}", 12);
            rig.Tick(TimeSpan.FromSeconds(5));
        }

        Assert.Empty(rig.Sink.Notifications);
        rig.Tick(TimeSpan.FromSeconds(5));

        var message = Assert.Single(rig.Sink.Notifications);
        Assert.Equal("[FIRING:5] down", message.Title);
        Assert.Equal(5, message.Alarms.Count);
        Assert.Equal(5, message.Message.Split('\n').Length);
    }

    [Fact]
    public void An_alarm_joining_an_announced_group_waits_for_the_group_interval_since_its_last_message()
    {
        using var rig = new AlarmRig(Grouped());
        rig.Sample("down", "pump1", 12);
        rig.Tick(TimeSpan.FromSeconds(30));
        Assert.Single(rig.Sink.Notifications);

        rig.Tick(TimeSpan.FromMinutes(1));
        rig.Sample("down", "pump2", 12);
        rig.Tick(TimeSpan.FromMinutes(3));
        rig.Sample("down", "pump3", 12);
        rig.Tick(TimeSpan.FromSeconds(59));
        Assert.Single(rig.Sink.Notifications);

        rig.Tick(TimeSpan.FromSeconds(1)); // 5 minutes after the first message

        Assert.Equal(2, rig.Sink.Notifications.Count);
        Assert.Equal(["pump2", "pump3"], rig.Sink.Notifications[1].Alarms.Select(a => a.Key));
    }

    [Fact]
    public void A_group_whose_alarms_all_resolved_starts_afresh_with_the_group_wait()
    {
        using var rig = new AlarmRig(Grouped());
        rig.Sample("down", "pump1", 12);
        rig.Tick(TimeSpan.FromSeconds(30));
        rig.Sample("down", "pump1", 1);
        rig.Tick(TimeSpan.FromSeconds(10));
        rig.Sample("down", "pump2", 12);
        rig.Tick(TimeSpan.FromSeconds(30));

        Assert.Equal(["firing", "resolved", "firing"], rig.Sink.Notifications.Select(n => n.Kind));
    }

    [Fact]
    public void Group_by_labels_makes_one_message_per_site()
    {
        using var rig = new AlarmRig(Grouped("site"));
        rig.Sample("down", "pump1", 12, new Dictionary<string, string> { ["site"] = "north" });
        rig.Sample("down", "pump2", 12, new Dictionary<string, string> { ["site"] = "north" });
        rig.Sample("down", "pump3", 12, new Dictionary<string, string> { ["site"] = "south" });
        rig.Tick(TimeSpan.FromSeconds(30));

        Assert.Equal(["[FIRING:2] down site=north", "[FIRING] down pump3"], rig.Sink.Notifications.Select(n => n.Title).Order());
    }
}
