using Hub.Analytics.Alarms;
using Xunit;

namespace Hub.Tests.Analytics.Alarms;

public sealed class FlapDetectorTests
{
    [Fact]
    public void Nothing_counts_before_21_evaluations()
    {
        Assert.Equal(0, FlapDetector.PercentChange("01010101010101010101"));
    }

    [Fact]
    public void A_change_at_every_evaluation_is_100_percent()
    {
        Assert.Equal(100, FlapDetector.PercentChange("010101010101010101010"), 6);
    }

    [Fact]
    public void Recent_changes_weigh_more_than_old_ones_from_0_75_to_1_25()
    {
        Assert.Equal(0.75 * 100 / 20, FlapDetector.PercentChange("011111111111111111111"), 6);
        Assert.Equal(1.25 * 100 / 20, FlapDetector.PercentChange("000000000000000000001"), 6);
    }

    [Fact]
    public void Flapping_starts_at_the_high_threshold_and_stops_below_the_low_one()
    {
        Assert.False(FlapDetector.IsFlapping(false, 19.9, 5, 20));
        Assert.True(FlapDetector.IsFlapping(false, 20, 5, 20));
        Assert.True(FlapDetector.IsFlapping(true, 5, 5, 20));
        Assert.False(FlapDetector.IsFlapping(true, 4.9, 5, 20));
    }

    [Fact]
    public void The_history_keeps_the_last_21_evaluations()
    {
        var history = "";
        for (var i = 0; i < 30; i++)
        {
            history = FlapDetector.Append(history, i % 2 == 0 ? '0' : '1');
        }

        Assert.Equal(21, history.Length);
        Assert.Equal('1', history[^1]);
    }
}
