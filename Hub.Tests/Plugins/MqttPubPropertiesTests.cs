using System.Text;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins;

/// <summary><c>mqttpub</c> targets with MQTT 5.0 properties: a fourth descriptor item or a dict descriptor.</summary>
public sealed class MqttPubPropertiesTests
{
    [Fact]
    public async Task Properties_in_the_fourth_item_are_published_and_their_texts_use_the_data()
    {
        var context = new TestPluginContext();
        var properties = Some.Dict(
            ("message_expiry", 60L), ("content_type", "text/plain"), ("response_topic", "replies/{device}"),
            ("correlation_data", "{_correlation_data}"), ("payload_format", 1L),
            ("user_properties", Some.Dict(("source", "hub"), ("device", "{device}"))));
        var data = Some.Dict(("device", "pump7"), ("_correlation_data", "req-42"));
        await BuiltInPlugins.Create("mqttpub", context).SendAsync(Some.Item("overheat", Some.List("alarms/{device}", 1L, false, properties), data: data), CancellationToken.None);

        var published = Assert.Single(context.Published);
        Assert.Equal(("alarms/pump7", 1), (published.Topic, published.Qos));
        var p = Assert.Single(context.PublishedProperties);
        Assert.Equal((60u, "text/plain", "replies/pump7", true), (p.MessageExpirySeconds, p.ContentType, p.ResponseTopic, p.PayloadIsUtf8));
        Assert.Equal("req-42", Encoding.UTF8.GetString(p.CorrelationData!.Value.Span));
        Assert.Equal([KeyValuePair.Create("source", "hub"), KeyValuePair.Create("device", "pump7")], p.UserProperties);
    }

    [Fact]
    public async Task A_dict_descriptor_names_topic_qos_retain_and_properties()
    {
        var context = new TestPluginContext();
        var descriptor = Some.Dict(("topic", "out/x"), ("qos", 2L), ("retain", true), ("correlation_data_hex", "ff00"));
        await BuiltInPlugins.Create("mqttpub", context).SendAsync(Some.Item("x", descriptor), CancellationToken.None);
        var published = Assert.Single(context.Published);
        Assert.Equal(("out/x", 2, true), (published.Topic, published.Qos, published.Retain));
        Assert.Equal(new byte[] { 0xff, 0x00 }, Assert.Single(context.PublishedProperties).CorrelationData!.Value.ToArray());
    }

    [Fact]
    public async Task Without_properties_the_plain_publish_is_used()
    {
        var context = new TestPluginContext();
        await BuiltInPlugins.Create("mqttpub", context).SendAsync(Some.Item("x", Some.List("out/x", 0L, false)), CancellationToken.None);
        Assert.Single(context.Published);
        Assert.Empty(context.PublishedProperties);
    }

    [Theory]
    [InlineData("colour", "unknown property 'colour'")]
    [InlineData("payload_format", "payload_format must be 0 (bytes) or 1 (UTF-8 text)")]
    [InlineData("message_expiry", "message_expiry must be")]
    [InlineData("user_properties", "user_properties must be a dict")]
    public void A_bad_property_is_a_configuration_error(string key, string problem)
    {
        object? value = key switch { "payload_format" => 2L, "message_expiry" => -1L, _ => "x" };
        var problems = BuiltInPlugins.Validate("mqttpub", Some.List("t", 0L, false, Some.Dict((key, value))));
        Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_key_in_a_dict_descriptor_is_a_configuration_error() =>
        Assert.Contains(BuiltInPlugins.Validate("mqttpub", Some.Dict(("topic", "t"), ("qoss", 1L))), p => p.Contains("unknown key 'qoss'", StringComparison.Ordinal));

    [Fact]
    public async Task A_response_topic_with_a_wildcard_after_formatting_is_not_published()
    {
        var context = new TestPluginContext();
        var item = Some.Item("x", Some.List("out/x", 0L, false, Some.Dict(("response_topic", "r/{device}"))), data: Some.Dict(("device", "#")));
        await Assert.ThrowsAnyAsync<FormatException>(() => BuiltInPlugins.Create("mqttpub", context).SendAsync(item, CancellationToken.None).AsTask());
        Assert.Empty(context.Published);
    }
}
