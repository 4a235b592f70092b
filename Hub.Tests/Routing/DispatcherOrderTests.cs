using Hub.Mqtt;
using Hub.Routing;

namespace Hub.Tests.Routing;

public sealed class DispatcherOrderTests
{
    // The example of mqttwarn-compat §5.2.
    private static readonly string[] Keys =
    [
        "/#", "/test/#", "/test/out/#", "/test/out/+", "/test/out/+/+", "/test/out/+/state",
        "/test/out/FL_power_consumption/state",
    ];

    [Theory]
    [InlineData("/test/out/FL_power_consumption/state", "/test/out/FL_power_consumption/state")]
    [InlineData("/test/out/AR_lamp/state", "/test/out/+/state")]
    [InlineData("/test/out/AR_lamp/command", "/test/out/+/+")]
    [InlineData("/test/out", "/test/out/#")]
    [InlineData("/other", "/#")]
    [InlineData("test/out", null)]
    public void The_most_specific_key_wins(string topic, string? winner)
    {
        var sorted = DispatcherOrder.Sort(Keys.Select(k => KeyValuePair.Create(k, k)));
        var match = sorted.FirstOrDefault(e => TopicFilter.Matches(e.Key, topic));
        Assert.Equal(winner, match.Value);
    }

    [Fact]
    public void More_levels_sort_before_fewer_even_with_wildcards()
    {
        var sorted = DispatcherOrder.Sort(new[] { KeyValuePair.Create("a/b/#", 1), KeyValuePair.Create("+/+/+/+", 2) });
        Assert.Equal(2, sorted.First(e => TopicFilter.Matches(e.Key, "a/b/c/d")).Value);
    }
}
