using System.Text;
using Hub.Mqtt;
using Hub.Pipeline;
using Hub.Routing;
using Hub.Tests.Support;

namespace Hub.Tests.Routing;

/// <summary>MQTT 5.0 properties of a received message as transformation data (docs/mqtt5.md).</summary>
public sealed class PropertyDataTests
{
    private static readonly MqttMessageProperties Properties = new()
    {
        ContentType = "application/json",
        ResponseTopic = "replies/pump7",
        CorrelationData = Encoding.UTF8.GetBytes("req-42"),
        MessageExpiryInterval = 30,
        PayloadFormatIndicator = 1,
        UserProperties = [KeyValuePair.Create("site", "north"), KeyValuePair.Create("trace", "a"), KeyValuePair.Create("trace", "b")],
        SubscriptionIdentifiers = [4],
    };

    private static Hub.Plugins.DeliveryItem RouteOne(string format, string payload, MqttMessageProperties? properties)
    {
        var config = new TestConfig().Service("log", ("info", Some.List("info"))).Section("t/#", TestConfig.Targets("log:info"), format: format).Build();
        return new MessageRouter(config, new CollectingLogger(), TimeProvider.System).Route("t/1", Encoding.UTF8.GetBytes(payload), false, properties)
            .Single().Items.Single().Item;
    }

    [Fact]
    public void The_properties_are_data_keys_for_formatting()
    {
        var item = RouteOne("{_content_type} {_response_topic} {_correlation_data} {_message_expiry} {_payload_format} {_user_properties[site]} {_subscription_ids[0]}", "{}", Properties);
        Assert.Equal("application/json replies/pump7 req-42 30 1 north 4", item.Message);
        Assert.Equal("b", ((IReadOnlyDictionary<string, object?>)item.Data["_user_properties"]!)["trace"]); // a repeated name keeps its last value
        Assert.Equal("7265712d3432", item.Data["_correlation_data_hex"]);
    }

    [Fact]
    public void Binary_correlation_data_is_given_as_hex()
    {
        var item = RouteOne("{_correlation_data}", "x", new MqttMessageProperties { CorrelationData = new byte[] { 0xff, 0x00, 0x10 } });
        Assert.Equal("ff0010", item.Message);
    }

    [Fact]
    public void A_JSON_payload_key_of_the_same_name_does_not_hide_a_property()
    {
        var item = RouteOne("{_content_type} {value}", """{"_content_type": "spoofed", "value": 5}""", Properties);
        Assert.Equal("application/json 5", item.Message);
    }

    [Fact]
    public void Absent_properties_add_no_keys()
    {
        var item = RouteOne("{payload}", "x", null);
        Assert.DoesNotContain(item.Data.Keys, k => k is PropertyData.ContentType or PropertyData.UserProperties or PropertyData.CorrelationData);
        var partial = RouteOne("{payload}", "x", new MqttMessageProperties { ContentType = "text/plain" });
        Assert.Equal("text/plain", partial.Data[PropertyData.ContentType]);
        Assert.False(partial.Data.ContainsKey(PropertyData.ResponseTopic));
    }
}
