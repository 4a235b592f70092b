using Hub.Analytics.Rules;
using Hub.Tests.Support;

namespace Hub.Tests.Analytics.Rules;

public sealed class AnalyticsHostTests
{
    [Fact]
    public void A_plugin_gets_the_rules_derived_values_per_key_and_its_verdicts_reach_the_lifecycle_under_its_name()
    {
        var lifecycle = new CollectingAlarmLifecycle();
        var time = new FakeTimeProvider();
        var host = new AnalyticsHost("kpi", lifecycle, time);

        host.Derive("a", 10, time.GetUtcNow());
        host.Derive("b", 500, time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(10));
        var derived = host.Derive("a", 30, time.GetUtcNow());
        host.Report("a", time.GetUtcNow(), 30, firing: derived["rate"] > 1, recovered: false);

        Assert.Equal(2.0, derived["rate"]);
        Assert.Equal(20.0, derived["delta"]);
        Assert.Equal(20.0, derived["mean"]);
        Assert.Equal(2.0, derived["count"]);
        Assert.Equal(2, host.KeyCount);
        Assert.Same(time, host.TimeProvider);
        var verdict = Assert.Single(lifecycle.Verdicts);
        Assert.Equal("kpi", verdict.Rule);
        Assert.Equal("a", verdict.Key);
        Assert.True(verdict.When);
    }
}
