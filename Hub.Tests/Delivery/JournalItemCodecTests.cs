using System.Numerics;
using System.Text;
using Hub.Delivery;
using Hub.Plugins;
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

    [Fact]
    public void Data_values_of_every_kind_come_back_as_the_payload_parser_would_give_them_without_JSON_text()
    {
        var data = Some.Dict(
            ("topic", "a/b"), ("payload", "héllo"), ("n", -42L), ("big", BigInteger.Parse("123456789012345678901234567890", System.Globalization.CultureInfo.InvariantCulture)),
            ("t", 21.5), ("nan", double.NaN), ("on", true), ("off", false), ("none", null), ("empty", ""),
            ("list", Some.List(1L, "x", Some.Dict(("deep", 2.25)))), ("map", Some.Dict(("k", Some.List()))));
        var item = Some.Item("héllo", topic: "a/b", data: data);

        var back = JournalItemCodec.Decode(JournalItemCodec.Encode(new QueuedItem(item, DateTimeOffset.UnixEpoch))).Item;

        Assert.Equal(data.Keys, back.Data.Keys);
        Assert.Equal(("a/b", "héllo", -42L, data["big"], 21.5, true, false, null, ""),
            (back.Data["topic"], back.Data["payload"], back.Data["n"], back.Data["big"], back.Data["t"], back.Data["on"], back.Data["off"], back.Data["none"], back.Data["empty"]));
        Assert.True(double.IsNaN((double)back.Data["nan"]!));
        var list = Assert.IsType<List<object?>>(back.Data["list"]);
        Assert.Equal((1L, "x", 2.25), (list[0], list[1], Assert.IsType<OrderedDictionary<string, object?>>(list[2])["deep"]));
        Assert.Empty(Assert.IsType<List<object?>>(Assert.IsType<OrderedDictionary<string, object?>>(back.Data["map"])["k"]));
    }

    [Fact]
    public void A_data_value_the_journal_cannot_hold_is_left_out_and_the_rest_kept()
    {
        var data = Some.Dict(("before", 1L), ("bytes", new byte[] { 1, 2 }), ("nested", Some.List("ok", new object())), ("after", "kept"));
        var item = Some.Item(data: data);

        var back = JournalItemCodec.Decode(JournalItemCodec.Encode(new QueuedItem(item, DateTimeOffset.UnixEpoch))).Item;

        Assert.Equal(["before", "after"], back.Data.Keys);
        Assert.Equal("kept", back.Data["after"]);
    }

    [Fact]
    public void A_message_that_is_the_payload_is_stored_once_and_a_different_or_binary_one_as_it_is()
    {
        var plain = Item("{\"n\":1}", Encoding.UTF8.GetBytes("{\"n\":1}"), isBinary: false, target: "t");
        var formatted = Item("n is 1", Encoding.UTF8.GetBytes("{\"n\":1}"), isBinary: false, target: "t");
        var bytes = new byte[] { 0, 0xFF, 0x89 };
        var binary = Item("", bytes, isBinary: true, target: null);

        var sizes = new[] { plain, formatted }.Select(i => JournalItemCodec.Encode(new QueuedItem(i, DateTimeOffset.UnixEpoch)).Length).ToArray();
        var back = new[] { plain, formatted, binary }.Select(i => JournalItemCodec.Decode(JournalItemCodec.Encode(new QueuedItem(i, DateTimeOffset.UnixEpoch))).Item).ToArray();

        Assert.Equal(sizes[1] - 1 - "n is 1".Length, sizes[0]); // the formatted message's length and bytes
        Assert.Equal(("{\"n\":1}", "{\"n\":1}"), (back[0].Message, Encoding.UTF8.GetString(back[0].MessageBytes.Span)));
        Assert.Equal(("n is 1", "{\"n\":1}"), (back[1].Message, Encoding.UTF8.GetString(back[1].Payload.Span)));
        Assert.Equal((true, (string?)null), (back[2].IsBinary, back[2].Target));
        Assert.Equal(bytes, back[2].MessageBytes.ToArray());
    }

    private static DeliveryItem Item(string message, byte[] payload, bool isBinary, string? target) => new()
    {
        Service = "svc", Section = "s", Target = target, Topic = "t/1", Message = message, Payload = payload, IsBinary = isBinary,
        MessageBytes = isBinary ? payload : Encoding.UTF8.GetBytes(message), Data = new Dictionary<string, object?>(),
    };
}
