using Hub.Mqtt.Session;

namespace Hub.Tests.Mqtt.Session;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Delays_double_from_the_minimum_up_to_the_maximum_and_reset_after_a_connect()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), () => 0);
        var delays = Enumerable.Range(0, 7).Select(_ => backoff.Next().TotalSeconds).ToArray();
        Assert.Equal([1, 2, 4, 8, 16, 30, 30], delays);
        backoff.Reset();
        Assert.Equal(1, backoff.Next().TotalSeconds);
    }

    [Fact]
    public void Jitter_shortens_a_delay_by_at_most_a_fifth_but_never_below_the_minimum()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), () => 1);
        Assert.Equal(1, backoff.Next().TotalSeconds);
        Assert.Equal(1.6, backoff.Next().TotalSeconds, 3);
    }
}
