using Hub.Analytics;
using Hub.Analytics.Alarms;
using Hub.Tests.Support;
using Xunit;

namespace Hub.Tests.Analytics.Alarms;

public sealed class AlarmPersistenceTests
{
    private static RuleOptions Hot(TimeSpan? @for = null, TimeSpan? repeat = null, string key = "{topic}") => AlarmRig.Rule("hot", new AlarmPolicy
    {
        For = @for ?? TimeSpan.Zero,
        Repeat = repeat,
        GroupWait = TimeSpan.Zero,
    }) with { Key = key };

    [Fact]
    public void A_firing_alarm_keeps_its_state_across_a_restart_and_is_not_notified_again()
    {
        using var rig = new AlarmRig(persistent: true, Hot(repeat: TimeSpan.FromHours(1)));
        rig.Sample("hot", "room1", 12);
        Assert.Single(rig.Sink.Notifications);

        rig.Restart();
        rig.Tick(TimeSpan.FromMinutes(10));
        rig.Sample("hot", "room1", 13);

        Assert.Empty(rig.Sink.Notifications);
        Assert.Empty(rig.Sink.States("room1"));
        Assert.Equal(AlarmState.Firing, Assert.Single(rig.Lifecycle.List()).Alarm.State);

        rig.Tick(TimeSpan.FromMinutes(50));
        Assert.Equal("repeat", Assert.Single(rig.Sink.Notifications).Kind);
    }

    [Fact]
    public void An_alarm_announced_just_before_the_hub_is_killed_is_not_announced_again()
    {
        using var rig = new AlarmRig(persistent: true, Hot());
        rig.Sample("hot", "room1", 12);
        Assert.Equal("firing", Assert.Single(rig.Sink.Notifications).Kind);

        rig.Crash();
        rig.Tick(TimeSpan.FromSeconds(1));

        Assert.Empty(rig.Sink.Notifications);
        Assert.Equal("firing", Assert.Single(rig.Lifecycle.List()).Notified);
    }

    [Fact]
    public void A_for_timer_resumes_after_a_restart_and_fires_when_it_would_have()
    {
        using var rig = new AlarmRig(persistent: true, Hot(@for: TimeSpan.FromMinutes(5)));
        var start = rig.Now;
        rig.Sample("hot", "room1", 12);
        rig.Tick(TimeSpan.FromMinutes(2));
        rig.Restart();
        rig.Tick(TimeSpan.FromMinutes(2));
        Assert.Empty(rig.Sink.Transitions);

        rig.Tick(TimeSpan.FromMinutes(1));

        var fired = Assert.Single(rig.Sink.Transitions);
        Assert.Equal(AlarmState.Firing, fired.State);
        Assert.Equal(start + TimeSpan.FromMinutes(5), fired.Since);
        Assert.Single(rig.Sink.Notifications);
    }

    [Fact]
    public void Acknowledgements_silences_and_the_history_survive_a_restart()
    {
        using var rig = new AlarmRig(persistent: true, Hot(repeat: TimeSpan.FromMinutes(10)));
        rig.Sample("hot", "room1", 12);
        rig.Lifecycle.Acknowledge("hot", "room1", "ann", "on it", null);
        var silence = rig.Lifecycle.AddSilence(LabelMatcher.ParseList("key=room2", []), TimeSpan.FromHours(1), "bob", "works");

        rig.Restart();
        rig.Tick(TimeSpan.FromHours(2) - TimeSpan.FromMinutes(61));
        rig.Sample("hot", "room2", 12);

        Assert.Empty(rig.Sink.Notifications);
        Assert.Equal(silence.Id, Assert.Single(rig.Lifecycle.Silences()).Id);
        Assert.Equal("ann", rig.Lifecycle.List().Single(v => v.Alarm.Key == "room1").AcknowledgedBy);
        var history = rig.Lifecycle.History("hot", null, 10);
        Assert.Equal(["room2", "room1", "room1"], history.Select(h => h.Key));
        Assert.Contains("\"state\":\"firing\"", history[^1].Json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_rule_keeps_the_state_of_its_keys_and_a_removed_rule_loses_its_keys()
    {
        using var rig = new AlarmRig(persistent: true, Hot(), AlarmRig.Rule("cold"));
        rig.Sample("hot", "room1", 12);
        rig.Sample("cold", "room1", 12);

        var changed = Hot() with { When = "value > 11" };
        var dropped = rig.Lifecycle.Configure([changed]);
        Assert.Equal([("cold", "room1")], dropped);

        rig.Restart(changed);
        rig.Sample("hot", "room1", 13);

        Assert.Empty(rig.Sink.Notifications);
        Assert.Equal([("hot", "room1")], rig.Lifecycle.List(all: true).Select(v => (v.Alarm.Rule, v.Alarm.Key)));
    }

    [Fact]
    public void An_alarm_waiting_for_its_group_when_the_hub_stopped_is_announced_after_the_restart()
    {
        var rule = AlarmRig.Rule("hot", new AlarmPolicy { GroupWait = TimeSpan.FromSeconds(30) });
        using var rig = new AlarmRig(persistent: true, rule);
        rig.Sample("hot", "room1", 12);
        rig.Restart();
        rig.Tick(TimeSpan.FromSeconds(1));
        Assert.Empty(rig.Sink.Notifications);

        rig.Tick(TimeSpan.FromSeconds(30));

        Assert.Equal("firing", Assert.Single(rig.Sink.Notifications).Kind);
    }
}
