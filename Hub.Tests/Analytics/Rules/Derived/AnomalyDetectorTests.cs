using Hub.Analytics.Rules.Derived;

namespace Hub.Tests.Analytics.Rules.Derived;

public sealed class AnomalyDetectorTests
{
    [Fact]
    public void Nothing_is_anomalous_while_the_detector_warms_up()
    {
        var detector = new AnomalyDetector();

        var scores = Enumerable.Range(0, AnomalyDetector.WarmUp).Select(i => detector.Score(i % 2 == 0 ? 10 : 1000, double.NaN, double.NaN)).ToList();

        Assert.All(scores, s => Assert.Equal(0, s));
    }

    [Fact]
    public void A_spike_in_noise_scores_above_one_half_and_ordinary_noise_stays_low()
    {
        var detector = new AnomalyDetector();
        var random = new Random(1);
        var noise = Enumerable.Range(0, 200).Select(_ => detector.Score(20 + random.NextDouble(), double.NaN, double.NaN)).ToList();

        var spike = detector.Score(30, double.NaN, double.NaN);

        Assert.True(noise.Skip(AnomalyDetector.WarmUp).Max() < 0.5, $"noise scored {noise.Max()}");
        Assert.InRange(spike, 0.5, 1);
    }

    [Fact]
    public void A_value_normal_for_this_hour_is_not_anomalous_however_far_from_the_last_samples()
    {
        var detector = new AnomalyDetector();
        var random = new Random(2);
        for (var i = 0; i < 100; i++)
        {
            detector.Score(20 + random.NextDouble(), double.NaN, double.NaN);
        }

        Assert.True(detector.Score(50, double.NaN, double.NaN) >= 0.5);
        Assert.True(detector.Score(50, normal: 49, spread: 2) < 0.5);
    }

    [Fact]
    public void A_new_level_stops_being_anomalous_once_the_window_has_taken_it()
    {
        var detector = new AnomalyDetector();
        var random = new Random(3);
        for (var i = 0; i < 100; i++)
        {
            detector.Score(20 + random.NextDouble(), double.NaN, double.NaN);
        }

        var after = Enumerable.Range(0, AnomalyDetector.Window).Select(_ => detector.Score(40 + random.NextDouble(), double.NaN, double.NaN)).ToList();

        Assert.True(after[0] >= 0.5);
        Assert.True(after[^1] < 0.5);
    }

    [Fact]
    public void A_constant_stream_that_changes_is_anomalous_and_the_score_stays_in_range()
    {
        var detector = new AnomalyDetector();
        for (var i = 0; i < 50; i++)
        {
            detector.Score(5, double.NaN, double.NaN);
        }

        Assert.Equal(0, detector.Score(5, double.NaN, double.NaN));
        Assert.Equal(1, detector.Score(6, double.NaN, double.NaN));
    }
}
