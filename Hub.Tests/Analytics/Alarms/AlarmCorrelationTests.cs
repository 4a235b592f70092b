using Hub.Analytics;
using Hub.Tests.Support;
using Xunit;

namespace Hub.Tests.Analytics.Alarms;

public sealed class AlarmCorrelationTests
{
    private static RuleOptions Rule(string name) => AlarmRig.Rule(name, new AlarmPolicy
    {
        GroupWait = TimeSpan.FromSeconds(10),
        GroupInterval = TimeSpan.FromMinutes(1),
        CorrelateMin = 3,
        CorrelateWindow = TimeSpan.FromMinutes(1),
    });

    private static void Episode(AlarmRig rig, string keyB)
    {
        rig.Sample("power", "feed", 12);
        rig.Tick(TimeSpan.FromSeconds(5));
        rig.Sample("pressure", keyB, 12);
        rig.Tick(TimeSpan.FromSeconds(20));
        rig.Sample("power", "feed", 1);
        rig.Sample("pressure", keyB, 1);
        rig.Tick(TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void Alarms_that_keep_firing_together_are_shown_once_as_one_group_with_the_members_listed()
    {
        using var rig = new AlarmRig(Rule("power"), Rule("pressure"));
        for (var i = 0; i < 3; i++)
        {
            Episode(rig, "line1");
        }

        var before = rig.Sink.Notifications.Count(n => n.Kind == "firing");
        rig.Sample("power", "feed", 12);
        rig.Tick(TimeSpan.FromSeconds(10));
        rig.Sample("pressure", "line1", 12);
        rig.Tick(TimeSpan.FromMinutes(5));

        // The fourth time, only the first alarm is announced; the second is folded into it.
        Assert.Equal(before + 1, rig.Sink.Notifications.Count(n => n.Kind == "firing"));
        var view = Assert.Single(rig.Lifecycle.List());
        Assert.Equal("feed", view.Alarm.Key);
        Assert.Equal(["pressure/line1"], view.Correlated);
    }

    [Fact]
    public void Alarms_that_fired_together_less_often_than_correlate_min_are_announced_separately()
    {
        using var rig = new AlarmRig(Rule("power"), Rule("pressure"));
        for (var i = 0; i < 2; i++)
        {
            Episode(rig, "line1");
        }

        var before = rig.Sink.Notifications.Count(n => n.Kind == "firing");
        Episode(rig, "line1");

        Assert.Equal(before + 2, rig.Sink.Notifications.Count(n => n.Kind == "firing"));
    }

    [Fact]
    public void An_alarm_that_also_fires_alone_is_not_folded()
    {
        using var rig = new AlarmRig(Rule("power"), Rule("pressure"));
        for (var i = 0; i < 3; i++)
        {
            Episode(rig, "line1");
        }

        for (var i = 0; i < 3; i++)
        {
            rig.Sample("pressure", "line1", 12);
            rig.Tick(TimeSpan.FromSeconds(20));
            rig.Sample("pressure", "line1", 1);
            rig.Tick(TimeSpan.FromMinutes(10));
        }

        var before = rig.Sink.Notifications.Count(n => n.Kind == "firing");
        Episode(rig, "line1");

        Assert.Equal(before + 2, rig.Sink.Notifications.Count(n => n.Kind == "firing"));
    }
}
