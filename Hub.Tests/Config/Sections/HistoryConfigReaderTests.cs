using Hub.Config.Sections;
using Hub.History;
using Hub.Tests.Support;

namespace Hub.Tests.Config.Sections;

public sealed class HistoryConfigReaderTests
{
    [Fact]
    public void Without_history_sections_nothing_is_recorded()
    {
        var config = ConfigTestLoader.LoadValid(ConfigTestLoader.WithLog("[a/b]\ntargets = log:info\n"));

        Assert.Null(config.History);
    }

    [Fact]
    public void The_history_section_and_its_record_rules_are_read_with_their_defaults()
    {
        var config = ConfigTestLoader.LoadValid(ConfigTestLoader.WithLog("""
            [history]
            retain_raw = 14d   ; two weeks
            retain_1h = 5y
            flush_interval = 500ms

            [history:temperatures]
            topic = tour/+/temperature
            tags = room=topic[1]

            [history:weather]
            topic = weather/#
            value = *

            [history:boiler]
            topic = boiler/state
            value = sensors.0.pressure
            tags = unit=unit, room=topic[0]

            [history:fahrenheit]
            topic = kitchen/temp
            value = {tempc}
            field = celsius
            """));

        var history = Assert.IsType<HistoryOptions>(config.History);
        Assert.Equal(TimeSpan.FromDays(14), history.Retention.Raw);
        Assert.Equal(TimeSpan.FromDays(90), history.Retention.OneMinute);
        Assert.Equal(TimeSpan.FromDays(5 * 365), history.Retention.OneHour);
        Assert.Equal(TimeSpan.FromMilliseconds(500), history.FlushInterval);
        Assert.Equal(10_000, history.BatchSize);
        Assert.Equal(Path.Combine(ConfigTestLoader.ConfigDirectory, ".hub-state", "history.db"), history.Path);
        Assert.Equal(["temperatures", "weather", "boiler", "fahrenheit"], history.Rules.Select(r => r.Name));
        Assert.Equal((HistoryValueKind.Payload, "value"), (history.Rules[0].Kind, history.Rules[0].Field));
        Assert.Equal(new HistoryTag("room", 1, null), Assert.Single(history.Rules[0].Tags));
        Assert.Equal(HistoryValueKind.AllNumeric, history.Rules[1].Kind);
        Assert.Equal((HistoryValueKind.Field, "sensors.0.pressure", "sensors.0.pressure"), (history.Rules[2].Kind, history.Rules[2].Expression, history.Rules[2].Field));
        Assert.Equal([new HistoryTag("unit", null, "unit"), new HistoryTag("room", 0, null)], history.Rules[2].Tags);
        Assert.Equal((HistoryValueKind.Format, "{tempc}", "celsius"), (history.Rules[3].Kind, history.Rules[3].Expression, history.Rules[3].Field));
        // The history sections are not topic sections: no "has no targets" warning.
        Assert.DoesNotContain(config.Warnings, w => w.Message.Contains("no targets", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_mistake_in_the_history_sections_is_reported_at_its_line_at_once()
    {
        var ini = ConfigTestLoader.WithLog("""
            [history]
            retain_raw = forever
            batch_size = 0
            colour = blue

            [history:bad]
            topic = a/#/b
            value = not a path
            tags = room

            [history:worse]
            value = {unclosed
            """);
        var result = ConfigTestLoader.Load(ini);
        var line = ini.Split('\n').ToList();
        int LineOf(string text) => line.FindIndex(l => l.StartsWith(text, StringComparison.Ordinal)) + 1;

        ConfigTestLoader.AssertError(result, LineOf("retain_raw"), "'retain_raw' must be a duration");
        ConfigTestLoader.AssertError(result, LineOf("batch_size"), "'batch_size' must be an integer");
        ConfigTestLoader.AssertError(result, LineOf("topic = a/#/b"), "is not a topic filter to record");
        ConfigTestLoader.AssertError(result, LineOf("value = not a path"), "'value' must be a JSON field path");
        ConfigTestLoader.AssertError(result, LineOf("tags = room"), "A tag is NAME=topic[N] or NAME=FIELD");
        ConfigTestLoader.AssertError(result, LineOf("value = {unclosed"), "'value' is not a valid format string");
        Assert.Contains(result.Diagnostics, d => !d.IsError && d.Location.Line == LineOf("colour") && d.Message.Contains("Unknown key 'colour'", StringComparison.Ordinal));
        Assert.All(result.Errors, e => Assert.Equal(ConfigTestLoader.FilePath, e.Location.File));
    }

    [Fact]
    public void Enabled_false_turns_recording_off_and_a_path_is_relative_to_the_configuration()
    {
        var off = ConfigTestLoader.LoadValid(ConfigTestLoader.WithLog("[history]\nenabled = false\n\n[history:t]\ntopic = a/b\n"));
        var on = ConfigTestLoader.LoadValid(ConfigTestLoader.WithLog("[history]\npath = data/h.db\n\n[history:t]\ntopic = a/b\n"));

        Assert.Null(off.History);
        Assert.Equal(Path.Combine(ConfigTestLoader.ConfigDirectory, "data", "h.db"), on.History!.Path);
    }

    [Fact]
    public void The_hub_subscribes_to_a_recorded_topic_that_no_topic_section_names()
    {
        var config = ConfigTestLoader.LoadValid(ConfigTestLoader.WithLog("[a/b]\ntargets = log:info\n\n[history:t]\ntopic = a/b\n\n[history:u]\ntopic = c/#\n"));

        Assert.Equal(["a/b", "c/#"], Hub.Runtime.HubRuntime.Subscriptions(config).Select(s => s.Filter));
    }
}
