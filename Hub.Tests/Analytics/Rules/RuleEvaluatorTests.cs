using System.Text;
using Hub.Analytics;
using Hub.Analytics.Rules;
using Hub.Analytics.Rules.Derived;

namespace Hub.Tests.Analytics.Rules;

public sealed class RuleEvaluatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_threshold_rule_with_hysteresis_fires_above_and_recovers_only_below_the_lower_bound()
    {
        var evaluator = new RuleEvaluator([Rule("value > 30", recover: "value < 28")]);

        var high = Single(evaluator, "room/1", "31", Start);
        var between = Single(evaluator, "room/1", "29", Start.AddSeconds(1));
        var low = Single(evaluator, "room/1", "27.5", Start.AddSeconds(2));

        Assert.True(high.When);
        Assert.False(high.Recover);
        Assert.False(between.When);
        Assert.False(between.Recover);
        Assert.True(low.Recover);
        Assert.Equal(27.5, low.Value);
        Assert.Equal("room/1", low.Key);
        Assert.Equal(30.0, high.Values["threshold"]);
        Assert.Equal(28.0, high.Values["recover_threshold"]);
    }

    [Fact]
    public void Without_recover_the_rule_recovers_when_the_condition_no_longer_holds()
    {
        var evaluator = new RuleEvaluator([Rule("value > 30")]);

        Assert.True(Single(evaluator, "t", "29", Start).Recover);
        Assert.False(Single(evaluator, "t", "31", Start).Recover);
    }

    [Fact]
    public void Only_rules_whose_topic_filter_matches_give_a_verdict()
    {
        var evaluator = new RuleEvaluator([Rule("value > 1") with { Name = "a", Topic = "a/#" }, Rule("value > 1") with { Name = "b", Topic = "b/+" }]);

        var verdicts = evaluator.Evaluate("a/x/y", Encoding.UTF8.GetBytes("2"), Start);

        Assert.Equal("a", Assert.Single(verdicts).Rule);
        Assert.Empty(evaluator.Evaluate("c", Encoding.UTF8.GetBytes("2"), Start));
    }

    [Fact]
    public void A_value_that_cannot_be_read_is_an_error_verdict_and_the_next_good_one_is_evaluated()
    {
        var evaluator = new RuleEvaluator([Rule("value > 1") with { Value = "temp * 2" }]);

        var missing = Single(evaluator, "t", """{"hum": 3}""", Start);
        var text = Single(evaluator, "t", """{"temp": "warm"}""", Start);
        var good = Single(evaluator, "t", """{"temp": 1.5}""", Start);

        Assert.Contains("no field 'temp'", missing.Error, StringComparison.Ordinal);
        Assert.Null(missing.Value);
        Assert.False(missing.When);
        Assert.Contains("not a number", text.Error, StringComparison.Ordinal);
        Assert.Null(good.Error);
        Assert.Equal(3.0, good.Value);
        Assert.True(good.When);
    }

    [Fact]
    public void The_key_and_labels_are_rendered_from_the_payload_and_the_topic()
    {
        var options = Rule("value > 1") with
        {
            Value = "temp",
            Key = "{topic}/{room}",
            Alarm = new AlarmPolicy { Labels = new Dictionary<string, string> { ["room"] = "{room}", ["site"] = "north" } },
        };
        var evaluator = new RuleEvaluator([options]);

        var verdict = Single(evaluator, "house", """{"temp": 2, "room": "kitchen"}""", Start);

        Assert.Equal("house/kitchen", verdict.Key);
        Assert.Equal("kitchen", verdict.Labels["room"]);
        Assert.Equal("north", verdict.Labels["site"]);
    }

    [Fact]
    public void Event_time_is_taken_from_the_payload_in_epoch_seconds_or_iso_8601()
    {
        var evaluator = new RuleEvaluator([Rule("rate > 1") with { Value = "v", Time = "{ts}" }]);

        var first = Single(evaluator, "t", """{"v": 0, "ts": 1700000000}""", Start);
        var second = Single(evaluator, "t", """{"v": 10, "ts": "2023-11-14T22:13:25Z"}""", Start);
        var bad = Single(evaluator, "t", """{"v": 10, "ts": "yesterday"}""", Start);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), first.Time);
        Assert.Null(first.Values["rate"]);
        Assert.Equal(2.0, second.Values["rate"]);
        Assert.True(second.When);
        Assert.Contains("gives no time", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rate_delta_and_ewma_follow_each_key_separately()
    {
        var evaluator = new RuleEvaluator([Rule("rate > 0 and delta > 0 and ewma > 0")]);

        Single(evaluator, "a", "10", Start);
        Single(evaluator, "b", "100", Start);
        var a = Single(evaluator, "a", "20", Start.AddSeconds(5));

        Assert.Equal(2.0, a.Values["rate"]);
        Assert.Equal(10.0, a.Values["delta"]);
        Assert.Equal(13.0, (double)a.Values["ewma"]!, 9);
        Assert.Equal(2, evaluator.KeyCount);
    }

    [Fact]
    public void Rolling_values_cover_the_time_window_and_the_zscore_compares_with_the_samples_before()
    {
        var options = Rule("count >= 1 and p50 >= 0 and zscore > 3") with { Derived = new DerivedOptions { WindowSpan = TimeSpan.FromMinutes(1) } };
        var evaluator = new RuleEvaluator([options]);
        RuleVerdict last = null!;
        double[] values = [10, 12, 10, 12, 10, 12];
        for (var i = 0; i < values.Length; i++)
        {
            last = Single(evaluator, "t", values[i].ToString(System.Globalization.CultureInfo.InvariantCulture), Start.AddSeconds(i * 20));
        }

        // At 100 s the window (1 minute) holds the samples of 60 s, 80 s and 100 s: 12, 10, 12.
        Assert.Equal(3.0, last.Values["count"]);
        Assert.Equal(34.0 / 3, (double)last.Values["mean"]!, 9);
        Assert.Equal(10.0, last.Values["min"]);
        Assert.Equal(12.0, last.Values["max"]);
        Assert.Equal(12.0, last.Values["p50"]);
        var spike = Single(evaluator, "t", "30", Start.AddSeconds(120));
        Assert.True(spike.When);
        Assert.True((double)spike.Values["zscore"]! > 3);
    }

    [Fact]
    public void A_count_window_keeps_the_last_n_samples()
    {
        var options = Rule("max > 0") with { Derived = new DerivedOptions { WindowCount = 2 } };
        var evaluator = new RuleEvaluator([options]);

        Single(evaluator, "t", "9", Start);
        Single(evaluator, "t", "1", Start);
        var last = Single(evaluator, "t", "2", Start);

        Assert.Equal(2.0, last.Values["max"]);
        Assert.Equal(2.0, last.Values["count"]);
    }

    [Fact]
    public void Changed_reports_by_exception_outside_the_deadband()
    {
        var options = Rule("changed") with { Derived = new DerivedOptions { Deadband = 0.5 } };
        var evaluator = new RuleEvaluator([options]);

        bool[] changes = [.. new[] { "20", "20.3", "20.6", "20.7", "20" }.Select(v => Single(evaluator, "t", v, Start).When)];

        Assert.Equal([true, false, true, false, true], changes);
    }

    [Fact]
    public void Expressions_read_payload_fields_beside_the_value()
    {
        var evaluator = new RuleEvaluator([Rule("value > 30 and not (battery.low or door == 1)") with { Value = "temp" }]);

        Assert.True(Single(evaluator, "t", """{"temp": 31, "battery": {"low": false}, "door": 0}""", Start).When);
        Assert.False(Single(evaluator, "t", """{"temp": 31, "battery": {"low": true}, "door": 0}""", Start).When);
    }

    private static RuleOptions Rule(string when, string? recover = null) =>
        new() { Name = "r", File = "hub.ini", Line = 1, Topic = "#", When = when, Recover = recover };

    private static RuleVerdict Single(RuleEvaluator evaluator, string topic, string payload, DateTimeOffset at) =>
        Assert.Single(evaluator.Evaluate(topic, Encoding.UTF8.GetBytes(payload), at));
}
