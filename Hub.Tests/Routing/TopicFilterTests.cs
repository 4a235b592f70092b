using Hub.Routing;

namespace Hub.Tests.Routing;

public sealed class TopicFilterTests
{
    [Theory]
    [InlineData("a/b/c", "a/b/c", true)]
    [InlineData("a/b/c", "a/b", false)]
    [InlineData("a/+/c", "a/b/c", true)]
    [InlineData("a/+/c", "a//c", true)]
    [InlineData("a/+", "a/b/c", false)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/b/c", true)]
    [InlineData("a/#", "ab", false)]
    [InlineData("#", "a/b", true)]
    [InlineData("#", "/a", true)]
    [InlineData("+/+", "/a", true)]
    [InlineData("+", "a/b", false)]
    [InlineData("#", "$SYS/broker", false)]
    [InlineData("+/broker", "$SYS/broker", false)]
    [InlineData("$SYS/#", "$SYS/broker", true)]
    [InlineData("/test/out/#", "/test/out", true)]
    [InlineData("test/out", "/test/out", false)]
    [InlineData("a/b/#", "a/b/", true)]
    [InlineData("a/b/+", "a/b/", true)]
    public void A_filter_matches_topics_as_MQTT_defines(string filter, string topic, bool expected) =>
        Assert.Equal(expected, TopicFilter.Matches(filter, topic));

    [Theory]
    [InlineData("a/#", true)]
    [InlineData("#", true)]
    [InlineData("a/+/c", true)]
    [InlineData("a/#/c", false)]
    [InlineData("a/b#", false)]
    [InlineData("a+/b", false)]
    [InlineData("", false)]
    public void Invalid_filters_are_recognised(string filter, bool valid) =>
        Assert.Equal(valid, TopicFilter.IsValid(filter, out _));
}
