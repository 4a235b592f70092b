using System.Text;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins;

public sealed class MqttPubSinkTests
{
    [Fact]
    public async Task The_message_is_published_to_the_formatted_topic_with_qos_and_retain()
    {
        var context = new TestPluginContext();
        var sink = BuiltInPlugins.Create("mqttpub", context);
        var data = Some.Dict(("device", "pump7"));
        await sink.SendAsync(Some.Item("overheat", Some.List("alarms/{device}", 1L, true), data: data), CancellationToken.None);
        var published = Assert.Single(context.Published);
        Assert.Equal("alarms/pump7", published.Topic);
        Assert.Equal("overheat", Encoding.UTF8.GetString(published.Payload));
        Assert.Equal(1, published.Qos);
        Assert.True(published.Retain);
    }

    [Fact]
    public async Task Qos_and_retain_default_to_zero_and_false()
    {
        var context = new TestPluginContext();
        await BuiltInPlugins.Create("mqttpub", context).SendAsync(Some.Item("x", Some.List("out/x")), CancellationToken.None);
        var published = Assert.Single(context.Published);
        Assert.Equal(0, published.Qos);
        Assert.False(published.Retain);
    }

    [Fact]
    public async Task A_topic_whose_formatting_fails_is_not_published()
    {
        var context = new TestPluginContext();
        var sink = BuiltInPlugins.Create("mqttpub", context);
        await Assert.ThrowsAnyAsync<FormatException>(() => sink.SendAsync(Some.Item("x", Some.List("alarms/{missing}")), CancellationToken.None).AsTask());
        Assert.Empty(context.Published);
    }

    [Theory]
    [InlineData(3L)]
    [InlineData(-1L)]
    public void A_qos_outside_0_to_2_is_a_configuration_error(long qos) =>
        Assert.NotEmpty(BuiltInPlugins.Validate("mqttpub", Some.List("t", qos)));

    [Fact]
    public void A_target_without_a_topic_is_a_configuration_error() =>
        Assert.NotEmpty(BuiltInPlugins.Validate("mqttpub", Some.List()));
}
