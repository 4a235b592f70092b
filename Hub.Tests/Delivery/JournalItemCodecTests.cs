using Hub.Delivery;
using Hub.Tests.Support;

namespace Hub.Tests.Delivery;

/// <summary>The journal's binary item record: what a restarted or reloaded hub needs to deliver the item again.</summary>
public sealed class JournalItemCodecTests
{
    [Fact]
    public void A_record_keeps_the_rendered_item_the_visited_targets_and_the_route_failover_references()
    {
        var accepted = new DateTimeOffset(2026, 12, 7, 18, 0, 0, TimeSpan.Zero);
        var queued = new QueuedItem(Some.Item("héllo", topic: "a/b"), accepted)
        {
            Visited = ["svc:a"],
            RouteFailover = [new FailoverLink("log:crit", []), new FailoverLink("smtp", [])],
        };

        var back = JournalItemCodec.Decode(JournalItemCodec.Encode(queued));

        Assert.Equal(accepted, back.Accepted);
        Assert.Equal(("héllo", "a/b", "svc", "t"), (back.Item.Message, back.Item.Topic, back.Item.Service, back.Item.Target));
        Assert.Equal(["svc:a"], back.Visited);
        // Only the references are kept: the generation that delivers the item resolves them to its own targets.
        Assert.Equal(["log:crit", "smtp"], back.RouteFailover.Select(l => l.Reference));
        Assert.All(back.RouteFailover, l => Assert.Empty(l.Targets));
    }
}
