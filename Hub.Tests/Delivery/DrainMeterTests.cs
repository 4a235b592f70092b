using Hub.Delivery;
using Hub.Tests.Support;

namespace Hub.Tests.Delivery;

public sealed class DrainMeterTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void The_rate_counts_the_ten_whole_seconds_before_the_current_one()
    {
        var meter = new DrainMeter();
        for (var i = 0; i < 20_000; i++)
        {
            meter.Add(_time.GetTimestamp(), _time);
        }

        Assert.Equal(0, meter.PerSecond(_time.GetTimestamp(), _time)); // the current second does not count yet
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2_000, meter.PerSecond(_time.GetTimestamp(), _time));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, meter.PerSecond(_time.GetTimestamp(), _time)); // older than ten seconds
    }

    [Fact]
    public void A_reused_slot_forgets_what_it_counted_ten_seconds_before()
    {
        var meter = new DrainMeter();
        meter.Add(_time.GetTimestamp(), _time);
        _time.Advance(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 5; i++)
        {
            meter.Add(_time.GetTimestamp(), _time);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0.5, meter.PerSecond(_time.GetTimestamp(), _time));
    }
}
