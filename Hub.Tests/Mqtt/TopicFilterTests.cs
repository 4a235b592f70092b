using Hub.Mqtt;

namespace Hub.Tests.Mqtt;

/// <summary>The one topic-filter implementation: the router, the broker, its ACLs and the MQTT client all use it.</summary>
public sealed class TopicFilterTests
{
    [Theory]
    [InlineData("a/b/c", "a/b/c", true)]
    [InlineData("a/b/c", "a/b", false)]
    [InlineData("a/b", "a/b/c", false)]
    [InlineData("a/+/c", "a/b/c", true)]
    [InlineData("a/+/c", "a//c", true)]
    [InlineData("a/+", "a/b/c", false)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/b/c", true)]
    [InlineData("a/#", "ab", false)]
    [InlineData("a/+/#", "a/b", true)]
    [InlineData("a/+/#", "a", false)]
    [InlineData("#", "a/b", true)]
    [InlineData("#", "/a", true)]
    [InlineData("+/+", "/a", true)]
    [InlineData("+", "a/b", false)]
    [InlineData("+", "", true)]
    [InlineData("#", "$SYS/broker", false)]
    [InlineData("+/broker", "$SYS/broker", false)]
    [InlineData("+", "$SYS", false)]
    [InlineData("$SYS/#", "$SYS/broker", true)]
    [InlineData("$SYS/+", "$SYS/broker", true)]
    [InlineData("a/$x/+", "a/$x/b", true)]
    [InlineData("/test/out/#", "/test/out", true)]
    [InlineData("test/out", "/test/out", false)]
    [InlineData("a/b/#", "a/b/", true)]
    [InlineData("a/b/+", "a/b/", true)]
    [InlineData("a/B", "a/b", false)]
    public void A_filter_matches_topics_as_MQTT_defines(string filter, string topic, bool expected) =>
        Assert.Equal(expected, TopicFilter.Matches(filter, topic));

    [Theory]
    [InlineData("a/#", null)]
    [InlineData("#", null)]
    [InlineData("+", null)]
    [InlineData("a/+/c", null)]
    [InlineData("+/+/#", null)]
    [InlineData("/", null)]
    [InlineData("a//b", null)]
    [InlineData("$share/g/a/#", null)]
    [InlineData("a/#/c", "'#' must be the last level, alone")]
    [InlineData("a/b#", "'#' must be the last level, alone")]
    [InlineData("a/#/", "'#' must be the last level, alone")]
    [InlineData("##", "'#' must be the last level, alone")]
    [InlineData("a+#", "'#' must be the last level, alone")]
    [InlineData("a+/#/b", "'+' must occupy a whole level")]
    [InlineData("a+/b", "'+' must occupy a whole level")]
    [InlineData("a/++", "'+' must occupy a whole level")]
    [InlineData("", "a topic filter must not be empty")]
    [InlineData("a/\0/#/b", "a topic filter must not contain U+0000")]
    public void Invalid_filters_are_recognised_with_the_rule_they_break(string filter, string? reason)
    {
        Assert.Equal(reason is null, TopicFilter.IsValid(filter, out var given));
        Assert.Equal(reason, given);
        Assert.Equal(reason is null, TopicFilter.IsValid(filter));
    }

    [Fact]
    public void Checking_validity_without_a_reason_allocates_nothing()
    {
        string[] filters = ["a/+/c/#", "a/#/c", "sensors/+/temperature", "a+/b"];
        foreach (var filter in filters)
        {
            TopicFilter.IsValid(filter);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            TopicFilter.IsValid(filters[i % filters.Length]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("$share/group/a/+/c", "group", "a/+/c")]
    [InlineData("$share/g/#", "g", "#")]
    [InlineData("$share/g/", "g", "")]
    [InlineData("$share/g//a", "g", "/a")]
    public void A_shared_filter_splits_into_its_group_and_filter(string filter, string group, string inner)
    {
        Assert.True(TopicFilter.TrySplitShared(filter, out var givenGroup, out var givenInner));
        Assert.Equal(group, givenGroup);
        Assert.Equal(inner, givenInner);
    }

    [Theory]
    [InlineData("$share/", true)]
    [InlineData("$share/g", true)]
    [InlineData("$share//a", true)]
    [InlineData("$share/g+/a", true)]
    [InlineData("$share/#/a", true)]
    [InlineData("a/b", false)]
    [InlineData("$SYS/#", false)]
    [InlineData("$share", false)]
    [InlineData("$SHARE/g/a", false)]
    [InlineData("share/g/a", false)]
    [InlineData("", false)]
    public void A_malformed_share_or_an_unshared_filter_gives_no_group(string filter, bool shared)
    {
        Assert.Equal(shared, TopicFilter.TrySplitShared(filter, out var group, out var inner));
        Assert.Equal("", group);
        Assert.Equal("", inner);
    }
}
