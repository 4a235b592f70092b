using System.Globalization;
using System.Text;
using Hub.Pipeline;
using Hub.Routing;
using Hub.Tests.Support;

namespace Hub.Tests.Routing;

/// <summary>A format reads its keys one by one (no data dictionary built), and gets exactly what the built data holds.</summary>
public sealed class LazyDataTests
{
    private static SectionOutcome Route(string format, string payload)
    {
        var config = new TestConfig().Service("log", ("info", Some.List("info"))).Section("t/#", TestConfig.Targets("log:info"), format: format).Build();
        return new MessageRouter(config, new CollectingLogger(), TimeProvider.System).Route("t/1", Encoding.UTF8.GetBytes(payload), false).Single();
    }

    [Fact]
    public void A_format_takes_its_keys_from_the_json_without_building_the_data_and_the_last_of_a_repeated_key_wins()
    {
        var outcome = Route("{a} {b} {topic} {_dtepoch}", """{"a": 1, "b": "x", "a": 2, "topic": "mine"}""");
        var data = Assert.IsType<LazyData>(outcome.Data);
        Assert.False(data.IsBuilt);
        var built = data.Value; // as a plugin reading the item's data would
        Assert.Equal($"2 x mine {((long)built["_dtepoch"]!).ToString(CultureInfo.InvariantCulture)}", outcome.Items.Single().Item.Message);
    }

    [Fact]
    public void The_time_keys_read_alone_are_those_of_the_built_data()
    {
        var outcome = Route("{_dtiso}|{_ltiso}|{_dthhmm}|{_dthhmmss}|{payload}", """{"n": 1}""");
        var data = Assert.IsType<LazyData>(outcome.Data);
        Assert.False(data.IsBuilt);
        var built = data.Value;
        Assert.Equal($"{built["_dtiso"]}|{built["_ltiso"]}|{built["_dthhmm"]}|{built["_dthhmmss"]}|{{\"n\": 1}}", outcome.Items.Single().Item.Message);
    }

    [Fact]
    public void A_payload_that_is_not_a_json_object_leaves_the_format_only_the_data_s_own_keys()
    {
        var outcome = Route("{topic} {payload}", "[1, 2]");
        Assert.Equal("t/1 [1, 2]", outcome.Items.Single().Item.Message);
        var data = Assert.IsType<LazyData>(outcome.Data);
        Assert.False(data.ContainsKey("0"));
        Assert.Equal(["topic", "payload", "_dtepoch", "_dtiso", "_ltiso", "_dthhmm", "_dthhmmss"], data.Keys);
    }
}
