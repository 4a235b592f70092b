using Hub.Analytics;
using Hub.Tests.Support;
using Xunit;

namespace Hub.Tests.Analytics.Alarms;

public sealed class AlarmFlappingTests
{
    [Fact]
    public void A_flapping_key_sends_one_flapping_notice_holds_its_notifications_and_reports_its_state_once_it_settles()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot"));
        for (var i = 0; i < 21; i++)
        {
            rig.Sample("hot", "room1", 3);
            rig.Tick(TimeSpan.FromSeconds(1));
        }

        for (var i = 0; i < 40; i++)
        {
            rig.Sample("hot", "room1", i % 2 == 0 ? 12 : 3);
            rig.Tick(TimeSpan.FromSeconds(1));
        }

        var kinds = rig.Sink.Notifications.Select(n => n.Kind).ToList();
        Assert.Equal(1, kinds.Count(k => k == "flapping"));
        var flappingAt = kinds.IndexOf("flapping");
        Assert.True(kinds.Count - flappingAt - 1 == 0, $"after the flapping notice nothing may be sent while it flaps: {string.Join(", ", kinds)}");
        Assert.Contains(rig.Sink.Transitions, t => t.Flapping);

        // It was last announced as firing; settle on a low value: once the percent state change decays below the low
        // threshold, the held resolution is sent, once.
        for (var i = 0; i < 30; i++)
        {
            rig.Sample("hot", "room1", 3);
            rig.Tick(TimeSpan.FromSeconds(1));
        }

        Assert.False(rig.Sink.Transitions[^1].Flapping);
        Assert.Equal(AlarmState.Normal, rig.Sink.Transitions[^1].State);
        Assert.Equal("firing", rig.Sink.Notifications[flappingAt - 1].Kind);
        Assert.Equal("resolved", rig.Sink.Notifications[^1].Kind);
        Assert.Single(rig.Sink.Notifications.Skip(flappingAt + 1));
    }

    [Fact]
    public void Flap_detection_can_be_turned_off()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot", new AlarmPolicy { FlapDetection = false, GroupWait = TimeSpan.Zero }));
        for (var i = 0; i < 42; i++)
        {
            rig.Sample("hot", "room1", i % 2 == 0 ? 12 : 3);
        }

        Assert.DoesNotContain(rig.Sink.Notifications, n => n.Kind == "flapping");
        Assert.Equal(42, rig.Sink.Notifications.Count);
    }
}
