using Hub.Analytics.Jobs;

namespace Hub.Tests.Analytics.Jobs;

public sealed class JobAlgorithmsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Hourly samples of <paramref name="f"/> (hours since start) for <paramref name="hours"/> hours, with seeded noise.</summary>
    private static List<(DateTimeOffset Time, double Value)> Hourly(int hours, Func<int, double> f, double noise = 0, int seed = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, hours).Select(h => (Start.AddHours(h), f(h) + (noise * ((random.NextDouble() * 2) - 1)))).ToList();
    }

    private static RegularSeries Grid(List<(DateTimeOffset Time, double Value)> samples) =>
        RegularSeries.From(samples, Start, samples[^1].Time.AddHours(1), TimeSpan.FromHours(1))!;

    [Fact]
    public void The_fft_finds_a_daily_period_in_noisy_hourly_data()
    {
        var samples = Hourly(24 * 28, h => 20 + (5 * Math.Sin(2 * Math.PI * h / 24)), noise: 2);

        var periods = PeriodFinder.Find(Grid(samples));

        Assert.Equal(TimeSpan.FromDays(1), periods[0].Period);
        Assert.Equal(TimeSpan.FromDays(1), PeriodFinder.ProfilePeriod(periods, TimeSpan.FromDays(28)));
    }

    [Fact]
    public void The_fft_finds_daily_and_weekly_periods_and_the_profile_follows_the_week()
    {
        // A daily wave, plus weekends (days 5 and 6 of each week) lower.
        var samples = Hourly(24 * 28, h => 50 + (10 * Math.Sin(2 * Math.PI * h / 24)) - ((h / 24 % 7) >= 5 ? 15 : 0), noise: 1);

        var periods = PeriodFinder.Find(Grid(samples));

        Assert.Contains(periods, p => p.Period == TimeSpan.FromDays(1));
        Assert.Contains(periods, p => p.Period == TimeSpan.FromDays(7));
        Assert.Equal(TimeSpan.FromDays(7), PeriodFinder.ProfilePeriod(periods, TimeSpan.FromDays(28)));
    }

    [Fact]
    public void White_noise_has_no_period_strong_enough_to_stand_out_alone()
    {
        var samples = Hourly(24 * 28, _ => 10, noise: 0);

        Assert.Empty(PeriodFinder.Find(Grid(samples)));
    }

    [Fact]
    public void A_profile_keeps_the_mean_and_spread_per_phase_bucket()
    {
        // Hour 6 of every day reads 100 ± 2 (alternating), every other hour 10.
        var samples = Hourly(24 * 10, h => h % 24 == 6 ? 100 + ((h / 24 % 2 == 0) ? 2 : -2) : 10);

        var profile = ProfileLearner.Learn("s#value", samples, TimeSpan.FromDays(1), 24, Start);

        Assert.Equal(24, profile.Mean.Length);
        Assert.Equal(100, profile.Mean[6], 9);
        Assert.Equal(Math.Sqrt(40.0 / 9), profile.Spread[6], 9);
        Assert.Equal(10, profile.Mean[7], 9);
        Assert.Equal(0, profile.Spread[7], 9);
        Assert.All(profile.Count, c => Assert.Equal(10, c));
        Assert.Equal(6, ProfileLearner.BucketOf(Start.AddDays(3).AddHours(6).AddMinutes(59), TimeSpan.FromDays(1), 24));
    }

    [Fact]
    public void Holt_winters_follows_trend_and_season_and_its_band_holds_the_truth()
    {
        Func<int, double> truth = h => 100 + (0.5 * h) + (10 * Math.Sin(2 * Math.PI * h / 24));
        var samples = Hourly(24 * 14, truth, noise: 1, seed: 7);

        var model = HoltWinters.Fit(Grid(samples), season: 24, horizon: 24, confidence: 0.95)!;

        Assert.Equal(24, model.Forecast.Count);
        Assert.Equal(Start.AddHours(24 * 14), model.Forecast[0].Time);
        Assert.InRange(model.Trend, 0.4, 0.6);
        for (var h = 0; h < 24; h++)
        {
            var expected = truth((24 * 14) + h);
            var point = model.Forecast[h];
            Assert.InRange(point.Value, expected - 3, expected + 3);
            Assert.InRange(expected, point.Lower, point.Upper);
            Assert.True(point.Upper - point.Lower > 0);
        }

        // The band widens with the horizon.
        Assert.True(model.Forecast[^1].Upper - model.Forecast[^1].Lower > model.Forecast[0].Upper - model.Forecast[0].Lower);
    }

    [Fact]
    public void Holt_winters_needs_two_seasons()
    {
        Assert.Null(HoltWinters.Fit(Grid(Hourly(30, h => h)), season: 24, horizon: 5, confidence: 0.95));
    }

    [Fact]
    public void Correlated_series_cluster_together_and_unrelated_ones_stay_apart()
    {
        var random = new Random(3);
        var a = Enumerable.Range(0, 500).Select(i => Math.Sin(i / 10.0) + (0.05 * random.NextDouble())).ToArray();
        var b = a.Select(v => (3 * v) + 7 + (0.05 * random.NextDouble())).ToArray();
        var c = Enumerable.Range(0, 500).Select(_ => random.NextDouble()).ToArray();
        var d = c.Select(v => (2 * v) + (0.01 * random.NextDouble())).ToArray();
        var anti = a.Select(v => -v).ToArray();

        var result = KpiCorrelation.Compute([("a", a), ("b", b), ("c", c), ("d", d), ("anti", anti)], threshold: 0.8);

        Assert.True(result.Matrix[0, 1] > 0.99);
        Assert.True(result.Matrix[0, 4] < -0.99);
        Assert.InRange(result.Matrix[0, 2], -0.2, 0.2);
        Assert.Equal([["a", "b"], ["c", "d"], ["anti"]], result.Clusters.Select(c => c.ToArray()).ToArray());
    }

    [Fact]
    public void Steps_without_samples_are_filled_between_neighbours_and_marked_unobserved()
    {
        var samples = new List<(DateTimeOffset, double)> { (Start, 0), (Start.AddHours(4), 8), (Start.AddHours(4).AddMinutes(30), 10) };

        var grid = RegularSeries.From(samples, Start, Start.AddHours(6), TimeSpan.FromHours(1))!;

        Assert.Equal([0, 2.25, 4.5, 6.75, 9, 9], grid.Values);
        Assert.Equal([true, false, false, false, true, false], grid.Observed);
    }

    [Fact]
    public void A_chart_is_an_svg_with_the_series_title()
    {
        var svg = SeriesChart.Svg("room#temp", Hourly(48, h => h % 24));

        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("room#temp", svg, StringComparison.Ordinal);
        Assert.Contains("<polyline", svg, StringComparison.Ordinal);
    }
}
