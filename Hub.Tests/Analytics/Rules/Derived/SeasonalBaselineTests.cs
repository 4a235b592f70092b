using Hub.Analytics;
using Hub.Analytics.Rules.Derived;

namespace Hub.Tests.Analytics.Rules.Derived;

public sealed class SeasonalBaselineTests
{
    // A Monday, 09:00 UTC.
    private static readonly DateTimeOffset Monday9 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_baseline_is_unknown_until_the_hour_has_been_seen_then_it_is_that_hours_mean()
    {
        var baseline = new SeasonalBaseline(null);

        Assert.True(double.IsNaN(baseline.Peek(Monday9).Baseline));
        foreach (var value in new[] { 10.0, 12, 14 })
        {
            baseline.Learn(value, Monday9);
        }

        var (normal, spread) = baseline.Peek(Monday9.AddMinutes(30));
        Assert.Equal(12, normal, 3);
        Assert.True(spread > 0);
        Assert.True(double.IsNaN(baseline.Peek(Monday9.AddHours(1)).Baseline));
    }

    [Fact]
    public void The_same_hour_on_another_day_uses_the_hour_of_day_until_its_weekday_is_known()
    {
        var baseline = new SeasonalBaseline(null);
        for (var i = 0; i < 5; i++)
        {
            baseline.Learn(100, Monday9);
        }

        Assert.Equal(100, baseline.Peek(Monday9.AddDays(1)).Baseline, 3);
        for (var i = 0; i < 5; i++)
        {
            baseline.Learn(200, Monday9.AddDays(1));
        }

        // Tuesday 09:00 now has its own hour of the week; next Monday 09:00 still has Monday's.
        Assert.Equal(200, baseline.Peek(Monday9.AddDays(1)).Baseline, 3);
        Assert.Equal(100, baseline.Peek(Monday9.AddDays(7)).Baseline, 3);
    }

    [Fact]
    public void A_spike_moves_a_learned_hour_no_more_than_a_four_sigma_value_would()
    {
        var baseline = new SeasonalBaseline(null);
        var random = new Random(4);
        for (var i = 0; i < 200; i++)
        {
            baseline.Learn(50 + random.NextDouble(), Monday9);
        }

        var before = baseline.Peek(Monday9);
        baseline.Learn(1e6, Monday9);

        Assert.InRange(baseline.Peek(Monday9).Baseline, before.Baseline, before.Baseline + (4 * before.Spread));
    }

    [Fact]
    public void A_profile_learned_from_history_seeds_the_hours_so_the_baseline_is_known_at_once()
    {
        var mean = Enumerable.Range(0, 24).Select(h => 10.0 + h).ToArray();
        var profile = new SeasonalProfile("t", TimeSpan.FromDays(1), mean, [.. Enumerable.Repeat(1.0, 24)], [.. Enumerable.Repeat(50L, 24)], Monday9);

        var baseline = new SeasonalBaseline(profile);

        Assert.Equal(19, baseline.Peek(Monday9).Baseline, 3);
        Assert.Equal(1, baseline.Peek(Monday9).Spread, 3);
        Assert.Equal(33, baseline.Peek(Monday9.AddDays(3).AddHours(14)).Baseline, 3);
    }
}
