using Hub.Runtime;
using static Hub.Tests.Support.ConfigTestLoader;

namespace Hub.Tests.Config.Sections;

/// <summary>The MQTT 5.0 flow-control keys of <c>[defaults]</c> (docs/mqtt5.md) and the client options they become.</summary>
public sealed class Mqtt5DefaultsTests
{
    [Fact]
    public void Receive_maximum_and_topic_alias_keys_reach_the_client_options()
    {
        var config = LoadValid("[defaults]\nlaunch = log\nprotocol = 5\nreceive_maximum = 16\ntopic_alias_maximum = 0\ntopic_aliases = False\n[config:log]\ntargets = {'info': ['info']}\n");
        var options = MqttOptionsFactory.FromDefaults(config.Defaults);
        Assert.Equal((16, 0, false), (options.ReceiveMaximum, options.TopicAliasMaximum, options.UseTopicAliases));
    }

    [Fact]
    public void The_defaults_are_the_inbound_queue_64_aliases_and_aliases_used()
    {
        var options = MqttOptionsFactory.FromDefaults(LoadValid("[defaults]\nlaunch = log\n[config:log]\ntargets = {'info': ['info']}\n").Defaults);
        Assert.Equal(((int?)null, 64, true), (options.ReceiveMaximum, options.TopicAliasMaximum, options.UseTopicAliases));
    }

    [Theory]
    [InlineData("receive_maximum = 0")]
    [InlineData("receive_maximum = 65536")]
    [InlineData("topic_alias_maximum = -1")]
    public void Values_outside_the_range_are_errors_at_their_line(string line) =>
        AssertError(Load($"[defaults]\n{line}\n"), 2, $"'{line.Split(' ')[0]}'");
}
