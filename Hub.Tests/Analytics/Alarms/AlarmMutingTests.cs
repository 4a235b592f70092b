using Hub.Analytics;
using Hub.Analytics.Alarms;
using Hub.Tests.Support;
using Xunit;

namespace Hub.Tests.Analytics.Alarms;

public sealed class AlarmMutingTests
{
    private static readonly Dictionary<string, string> North = new() { ["site"] = "north" };
    private static readonly Dictionary<string, string> South = new() { ["site"] = "south" };

    private static IReadOnlyList<LabelMatcher> Matchers(string text)
    {
        var errors = new List<string>();
        var matchers = LabelMatcher.ParseList(text, errors);
        Assert.Empty(errors);
        return matchers;
    }

    [Fact]
    public void A_silenced_alarm_changes_state_but_sends_nothing_and_is_announced_when_the_silence_is_removed()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot"));
        var silence = rig.Lifecycle.AddSilence(Matchers("site=north"), TimeSpan.FromHours(1), "ann", "maintenance");
        rig.Sample("hot", "room1", 12, North);
        rig.Sample("hot", "room2", 12, South);

        Assert.Equal([AlarmState.Firing], rig.Sink.States("room1"));
        Assert.True(rig.Sink.Transitions.Single(t => t.Key == "room1").Muted);
        Assert.Equal(["room2"], rig.Sink.Notifications.SelectMany(n => n.Alarms).Select(a => a.Key));

        Assert.True(rig.Lifecycle.RemoveSilence(silence.Id));
        rig.Tick(TimeSpan.FromSeconds(1));
        Assert.Equal(["room2", "room1"], rig.Sink.Notifications.SelectMany(n => n.Alarms).Select(a => a.Key));
    }

    [Fact]
    public void A_silence_expires_after_its_duration()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot"));
        rig.Lifecycle.AddSilence(Matchers("rule=hot"), TimeSpan.FromMinutes(30), "ann", "");
        rig.Sample("hot", "room1", 12);
        rig.Tick(TimeSpan.FromMinutes(29));
        Assert.Empty(rig.Sink.Notifications);

        rig.Tick(TimeSpan.FromMinutes(1));

        Assert.Single(rig.Sink.Notifications);
        Assert.Empty(rig.Lifecycle.Silences());
    }

    [Fact]
    public void Silence_matchers_take_regular_expressions_and_negations()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot"));
        rig.Lifecycle.AddSilence(Matchers("key=~room[12], site!=south"), TimeSpan.FromHours(1), "ann", "");
        rig.Sample("hot", "room1", 12, North);
        rig.Sample("hot", "room2", 12, South);
        rig.Sample("hot", "room3", 12, North);

        Assert.Equal(["room2", "room3"], rig.Sink.Notifications.SelectMany(n => n.Alarms).Select(a => a.Key));
    }

    [Fact]
    public void A_resolved_alarm_that_is_silenced_sends_no_resolved_message()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot"));
        rig.Sample("hot", "room1", 12);
        rig.Lifecycle.AddSilence(Matchers("key=room1"), TimeSpan.FromHours(1), "ann", "");
        rig.Sample("hot", "room1", 1);

        Assert.Equal(["firing"], rig.Sink.Notifications.Select(n => n.Kind));
    }

    [Fact]
    public void Bad_matchers_are_reported()
    {
        var errors = new List<string>();
        LabelMatcher.ParseList("site, key=~[", errors);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void A_firing_site_alarm_inhibits_the_device_alarms_of_that_site_only_and_they_are_announced_when_it_clears()
    {
        var site = AlarmRig.Rule("site_down", new AlarmPolicy
        {
            GroupWait = TimeSpan.Zero,
            Inhibit = Matchers("rule=device_down"),
            InhibitEqual = ["site"],
        });
        using var rig = new AlarmRig(site, AlarmRig.Rule("device_down"));
        rig.Sample("site_down", "north", 12, North);
        rig.Sample("device_down", "pump1", 12, North);
        rig.Sample("device_down", "pump9", 12, South);

        Assert.Equal(["north", "pump9"], rig.Sink.Notifications.SelectMany(n => n.Alarms).Select(a => a.Key));
        Assert.Equal(AlarmState.Firing, rig.Sink.Transitions.Single(t => t.Key == "pump1").State);

        rig.Sample("site_down", "north", 1, North);
        rig.Tick(TimeSpan.FromSeconds(1));

        Assert.Equal(["north", "pump9", "north", "pump1"], rig.Sink.Notifications.SelectMany(n => n.Alarms).Select(a => a.Key));
        Assert.Equal("resolved", rig.Sink.Notifications[2].Kind);
    }
}
