using Hub.Analytics;
using Hub.Tests.Support;
using Xunit;

namespace Hub.Tests.Analytics.Alarms;

public sealed class AlarmLifecycleTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void A_value_over_the_threshold_without_for_fires_at_once_and_notifies()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot"));
        rig.Sample("hot", "room1", 3);
        rig.Sample("hot", "room1", 12);

        Assert.Equal([AlarmState.Firing], rig.Sink.States("room1"));
        var notification = Assert.Single(rig.Sink.Notifications);
        Assert.Equal("firing", notification.Kind);
        Assert.Equal("[FIRING] hot room1", notification.Title);
    }

    [Fact]
    public void With_for_a_key_is_pending_first_and_fires_when_for_has_passed_on_the_clock()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot", new AlarmPolicy { For = TimeSpan.FromMinutes(1), GroupWait = TimeSpan.Zero }));
        var start = rig.Now;
        rig.Sample("hot", "room1", 12);
        rig.Tick(TimeSpan.FromSeconds(59));
        Assert.Equal([AlarmState.Pending], rig.Sink.States("room1"));
        Assert.Empty(rig.Sink.Notifications);

        rig.Tick(Second);

        Assert.Equal([AlarmState.Pending, AlarmState.Firing], rig.Sink.States("room1"));
        Assert.Equal(start + TimeSpan.FromMinutes(1), rig.Sink.Transitions[^1].Since);
        Assert.Single(rig.Sink.Notifications);
    }

    [Fact]
    public void A_pending_key_goes_back_to_normal_when_the_condition_stops_before_for_and_nobody_hears_of_it()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot", new AlarmPolicy { For = TimeSpan.FromMinutes(1), GroupWait = TimeSpan.Zero }));
        rig.Sample("hot", "room1", 12);
        rig.Tick(TimeSpan.FromSeconds(30));
        rig.Sample("hot", "room1", 8);
        rig.Tick(TimeSpan.FromMinutes(5));

        Assert.Equal([AlarmState.Pending, AlarmState.Normal], rig.Sink.States("room1"));
        Assert.Empty(rig.Sink.Notifications);
    }

    [Fact]
    public void Hysteresis_keeps_a_firing_key_on_between_the_thresholds()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot"));
        rig.Sample("hot", "room1", 12);
        rig.Sample("hot", "room1", 7);
        rig.Sample("hot", "room1", 9);

        Assert.Equal([AlarmState.Firing], rig.Sink.States("room1"));
        rig.Sample("hot", "room1", 4);
        Assert.Equal([AlarmState.Firing, AlarmState.Normal], rig.Sink.States("room1"));
    }

    [Fact]
    public void With_clear_for_a_key_recovers_first_and_goes_back_to_firing_without_a_new_message_when_the_value_rises()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot", new AlarmPolicy { ClearFor = TimeSpan.FromMinutes(2), GroupWait = TimeSpan.Zero }));
        rig.Sample("hot", "room1", 12);
        rig.Tick(Second);
        rig.Sample("hot", "room1", 4);
        rig.Tick(TimeSpan.FromMinutes(1));
        rig.Sample("hot", "room1", 11);
        Assert.Equal([AlarmState.Firing, AlarmState.Recovering, AlarmState.Firing], rig.Sink.States("room1"));
        Assert.Single(rig.Sink.Notifications);

        rig.Sample("hot", "room1", 4);
        rig.Tick(TimeSpan.FromMinutes(2));

        Assert.Equal([AlarmState.Firing, AlarmState.Recovering, AlarmState.Firing, AlarmState.Recovering, AlarmState.Normal], rig.Sink.States("room1"));
        Assert.Equal(["firing", "resolved"], rig.Sink.Notifications.Select(n => n.Kind));
    }

    [Fact]
    public void A_resolved_notification_is_sent_at_once_not_after_the_group_interval()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot", new AlarmPolicy { GroupWait = TimeSpan.FromSeconds(30), GroupInterval = TimeSpan.FromMinutes(5) }));
        rig.Sample("hot", "room1", 12);
        rig.Tick(TimeSpan.FromSeconds(30));
        Assert.Single(rig.Sink.Notifications);

        rig.Tick(Second);
        rig.Sample("hot", "room1", 2);

        Assert.Equal(["firing", "resolved"], rig.Sink.Notifications.Select(n => n.Kind));
        Assert.Equal("[RESOLVED] hot room1", rig.Sink.Notifications[1].Title);
    }

    [Fact]
    public void An_alarm_that_resolves_within_the_group_wait_is_never_announced()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot", new AlarmPolicy { GroupWait = TimeSpan.FromSeconds(30) }));
        rig.Sample("hot", "room1", 12);
        rig.Tick(TimeSpan.FromSeconds(10));
        rig.Sample("hot", "room1", 2);
        rig.Tick(TimeSpan.FromMinutes(1));

        Assert.Equal([AlarmState.Firing, AlarmState.Normal], rig.Sink.States("room1"));
        Assert.Empty(rig.Sink.Notifications);
    }

    [Fact]
    public void A_key_that_goes_quiet_for_expect_every_becomes_nodata_and_resolves_when_data_comes_back()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot", new AlarmPolicy { ExpectEvery = TimeSpan.FromMinutes(5), GroupWait = TimeSpan.Zero }));
        var last = rig.Now;
        rig.Sample("hot", "room1", 3);
        rig.Tick(TimeSpan.FromMinutes(4));
        Assert.Empty(rig.Sink.Transitions);

        rig.Tick(TimeSpan.FromMinutes(1));
        Assert.Equal([AlarmState.NoData], rig.Sink.States("room1"));
        Assert.Equal(last + TimeSpan.FromMinutes(5), rig.Sink.Transitions[^1].Since);
        Assert.Equal("nodata", Assert.Single(rig.Sink.Notifications).Kind);

        rig.Sample("hot", "room1", 3);
        Assert.Equal([AlarmState.NoData, AlarmState.Normal], rig.Sink.States("room1"));
        Assert.Equal(["nodata", "resolved"], rig.Sink.Notifications.Select(n => n.Kind));
    }

    [Fact]
    public void A_value_that_cannot_be_read_puts_the_key_in_error_with_the_reason_as_summary()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot"));
        rig.Broken("hot", "room1", "payload is not a number");

        var transition = Assert.Single(rig.Sink.Transitions);
        Assert.Equal(AlarmState.Error, transition.State);
        Assert.Equal("payload is not a number", transition.Summary);
        Assert.Equal("error", Assert.Single(rig.Sink.Notifications).Kind);

        rig.Sample("hot", "room1", 12);
        Assert.Equal([AlarmState.Error, AlarmState.Firing], rig.Sink.States("room1"));
    }

    [Fact]
    public void The_summary_is_rendered_from_the_value_and_the_labels()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot", new AlarmPolicy { Summary = "{key} at {site} is {value:.1f}", GroupWait = TimeSpan.Zero }));
        rig.Sample("hot", "room1", 12.345, new Dictionary<string, string> { ["site"] = "north" });

        Assert.Equal("room1 at north is 12.3", rig.Sink.Transitions[0].Summary);
        Assert.Contains("room1 at north is 12.3", rig.Sink.Notifications[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Firing_alarms_are_renotified_every_repeat_interval_until_they_resolve()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot", new AlarmPolicy { Repeat = TimeSpan.FromMinutes(10), GroupWait = TimeSpan.Zero }));
        rig.Sample("hot", "room1", 12);
        rig.Tick(TimeSpan.FromMinutes(9));
        Assert.Single(rig.Sink.Notifications);

        rig.Tick(TimeSpan.FromMinutes(1));
        rig.Tick(TimeSpan.FromMinutes(10));
        Assert.Equal(["firing", "repeat", "repeat"], rig.Sink.Notifications.Select(n => n.Kind));

        rig.Sample("hot", "room1", 1);
        rig.Tick(TimeSpan.FromMinutes(30));
        Assert.Equal(["firing", "repeat", "repeat", "resolved"], rig.Sink.Notifications.Select(n => n.Kind));
    }

    [Fact]
    public void An_acknowledgement_stops_repeats_until_the_alarm_resolves_and_the_next_alarm_is_notified_again()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot", new AlarmPolicy { Repeat = TimeSpan.FromMinutes(10), GroupWait = TimeSpan.Zero }));
        rig.Sample("hot", "room1", 12);
        Assert.True(rig.Lifecycle.Acknowledge("hot", "room1", "ann", "on it", null));
        Assert.True(rig.Sink.Transitions[^1].Acknowledged);
        rig.Tick(TimeSpan.FromHours(1));
        Assert.Single(rig.Sink.Notifications);

        rig.Sample("hot", "room1", 1);
        Assert.False(rig.Sink.Transitions[^1].Acknowledged);
        rig.Sample("hot", "room1", 12);
        Assert.Equal(["firing", "resolved", "firing"], rig.Sink.Notifications.Select(n => n.Kind));
        Assert.False(rig.Lifecycle.Acknowledge("hot", "nothere", "ann", "", null));
    }

    [Fact]
    public void An_acknowledgement_with_an_expiry_lapses_and_repeats_resume()
    {
        using var rig = new AlarmRig(AlarmRig.Rule("hot", new AlarmPolicy { Repeat = TimeSpan.FromMinutes(10), GroupWait = TimeSpan.Zero }));
        rig.Sample("hot", "room1", 12);
        rig.Lifecycle.Acknowledge("hot", "room1", "ann", "", TimeSpan.FromMinutes(30));
        rig.Tick(TimeSpan.FromMinutes(29));
        Assert.Single(rig.Sink.Notifications);

        rig.Tick(TimeSpan.FromMinutes(1));
        rig.Tick(TimeSpan.FromMinutes(10));

        Assert.False(rig.Sink.Transitions[^1].Acknowledged);
        Assert.Contains(rig.Sink.Notifications, n => n.Kind == "repeat");
    }
}
