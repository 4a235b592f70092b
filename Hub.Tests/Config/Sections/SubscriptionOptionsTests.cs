using Hub.Mqtt;
using Hub.Runtime;
using static Hub.Tests.Support.ConfigTestLoader;

namespace Hub.Tests.Config.Sections;

/// <summary>Topic-section keys for the subscription: <c>share</c> and the MQTT 5.0 options (docs/mqtt5.md).</summary>
public sealed class SubscriptionOptionsTests
{
    // Line 1-5: defaults and the log service; topic sections start at line 6.
    private static string Ini(int protocol, string sections) =>
        $"[defaults]\nlaunch = log\nprotocol = {protocol}\n[config:log]\ntargets = {{'info': ['info']}}\n" + sections;

    [Fact]
    public void Share_subscribes_the_group_filter_and_works_with_protocol_4()
    {
        var config = LoadValid(Ini(4, "[sensors/#]\nshare = workers\nqos = 1\ntargets = log:info\n"));
        Assert.Equal([new MqttSubscription("$share/workers/sensors/#", 1)], HubRuntime.Subscriptions(config));
        Assert.Equal("sensors/#", config.Sections[0].Topic); // messages still match the section by their topic
    }

    [Theory]
    [InlineData("share = a/b")]
    [InlineData("share = a+")]
    [InlineData("share = ")]
    public void A_share_name_with_a_slash_or_wildcard_or_empty_is_an_error(string line) =>
        AssertError(Load(Ini(5, $"[t/#]\n{line}\ntargets = log:info\n")), 7, "'share' must be a group name");

    [Fact]
    public void The_MQTT_5_options_go_into_the_subscription()
    {
        var config = LoadValid(Ini(5, "[t/#]\nno_local = True\nretain_as_published = True\nretain_handling = 2\ntargets = log:info\n"));
        var subscription = Assert.Single(HubRuntime.Subscriptions(config));
        Assert.Equal(new MqttSubscription("t/#", 0) { NoLocal = true, RetainAsPublished = true, RetainHandling = 2 }, subscription);
    }

    [Theory]
    [InlineData("no_local = True")]
    [InlineData("retain_as_published = True")]
    [InlineData("retain_handling = 1")]
    public void An_MQTT_5_option_with_protocol_4_is_an_error_at_its_line(string line)
    {
        var key = line.Split(' ')[0];
        AssertError(Load(Ini(4, $"[t/#]\ntargets = log:info\n{line}\n")), 8, $"'{key}' is an MQTT 5.0 subscription option: it needs 'protocol = 5'");
    }

    [Fact]
    public void Retain_handling_above_2_is_an_error() =>
        Assert.False(Load(Ini(5, "[t/#]\nretain_handling = 3\ntargets = log:info\n")).Success);

    [Fact]
    public void No_local_on_a_shared_subscription_is_an_error() =>
        AssertError(Load(Ini(5, "[t/#]\nshare = g\nno_local = True\ntargets = log:info\n")), 8, "not allowed on a shared subscription");

    [Fact]
    public void Sections_on_one_filter_with_different_options_share_a_subscription_that_misses_nothing_and_are_warned()
    {
        var result = Load(Ini(5,
            "[a]\ntopic = t/#\nno_local = True\nretain_handling = 2\ntargets = log:info\n" +
            "[b]\ntopic = t/#\nqos = 2\nretain_as_published = True\ntargets = log:info\n"));
        Assert.True(result.Success);
        var subscription = Assert.Single(HubRuntime.Subscriptions(result.Config!));
        Assert.Equal(new MqttSubscription("t/#", 2) { NoLocal = false, RetainAsPublished = true, RetainHandling = 0 }, subscription);
        AssertWarning(result, 6, "it uses no_local = False, retain_as_published = True, retain_handling = 0");
        Assert.DoesNotContain(result.Warnings, w => w.Location.Line == 11); // [b] gets what it asked for
    }

    [Fact]
    public void Sections_on_one_topic_with_and_without_share_are_warned()
    {
        var result = Load(Ini(4, "[a]\ntopic = t/#\nshare = g\ntargets = log:info\n[b]\ntopic = t/#\ntargets = log:info\n"));
        Assert.Equal(2, HubRuntime.Subscriptions(result.Config!).Count);
        AssertWarning(result, 6, "differ in 'share'");
    }

    [Fact]
    public void The_subscription_keys_are_ignored_in_failover()
    {
        var config = LoadValid(Ini(4, "[failover]\nshare = g\nno_local = True\ntargets = log:info\n"));
        Assert.Null(config.Failover!.Share);
        Assert.False(config.Failover.Extra.ContainsKey("share"));
    }
}
