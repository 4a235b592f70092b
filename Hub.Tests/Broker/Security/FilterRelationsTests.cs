using Hub.Broker.Security;

namespace Hub.Tests.Broker.Security;

public sealed class FilterRelationsTests
{
    [Theory]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/b", "a/c", false)]
    [InlineData("a/+", "+/b", true)]
    [InlineData("a/#", "a", true)]
    [InlineData("a", "a/#", true)]
    [InlineData("a/+", "a", false)]
    [InlineData("a/b/c", "a/+", false)]
    [InlineData("#", "x/y/z", true)]
    [InlineData("+/+", "a/b/c", false)]
    [InlineData("+/#", "a", true)]
    [InlineData("#", "$SYS/broker", false)]
    [InlineData("+/broker", "$SYS/broker", false)]
    [InlineData("$SYS/#", "$SYS/+", true)]
    [InlineData("$SYS/#", "#", false)]
    public void Two_filters_intersect_when_some_topic_matches_both(string a, string b, bool expected)
    {
        Assert.Equal(expected, FilterRelations.Intersect(a, b));
        Assert.Equal(expected, FilterRelations.Intersect(b, a));
    }

    [Theory]
    [InlineData("#", "a/b", true)]
    [InlineData("#", "a/#", true)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/+/c", true)]
    [InlineData("a/+", "a/b", true)]
    [InlineData("a/+", "a/+", true)]
    [InlineData("a/+", "a/#", false)]
    [InlineData("a/+", "a", false)]
    [InlineData("a/b", "a/+", false)]
    [InlineData("a/b", "a/b/c", false)]
    [InlineData("a/b/c", "a/b", false)]
    [InlineData("a/b", "a/b", true)]
    [InlineData("+/b", "a/b", true)]
    [InlineData("#", "$SYS/x", false)]
    [InlineData("+/x", "$SYS/x", false)]
    [InlineData("$SYS/#", "$SYS/x", true)]
    public void A_filter_covers_another_when_it_matches_every_topic_the_other_does(string outer, string inner, bool expected) =>
        Assert.Equal(expected, FilterRelations.Covers(outer, inner));
}
