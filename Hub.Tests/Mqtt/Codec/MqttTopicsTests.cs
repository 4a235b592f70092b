using Hub.Mqtt;
using Hub.Mqtt.Codec;
using Hub.Mqtt.Codec.V311;
using Hub.Mqtt.Codec.V5;
using Hub.Mqtt.Packets;

namespace Hub.Tests.Mqtt.Codec;

/// <summary>The client's filter check words the shared rules its own way; U+0000 is left to the string encoder.</summary>
public sealed class MqttTopicsTests
{
    public static TheoryData<string, string> InvalidFilters => new()
    {
        { "", "A topic filter needs at least one character." },
        { "a/#/b", "'#' must be the last level on its own: 'a/#/b'." },
        { "a#", "'#' must be the last level on its own: 'a#'." },
        { "a+#", "'#' must be the last level on its own: 'a+#'." },
        { "a\0/#/b", "'#' must be the last level on its own: 'a\0/#/b'." },
        { "a/b+", "'+' must occupy a whole level: 'a/b+'." },
        { "a+/#/b", "'+' must occupy a whole level: 'a+/#/b'." },
        { "a/\0", "The topic filter contains U+0000." },
    };

    [Theory]
    [MemberData(nameof(InvalidFilters))]
    public void An_invalid_filter_is_not_sent_by_either_protocol_version(string filter, string message)
    {
        var subscribe = new SubscribePacket(1, [new MqttSubscription(filter, 0)]);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => PacketBytes.Encode(new MqttV311PacketFormatter(), subscribe)).Message);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => PacketBytes.Encode(new MqttV5PacketFormatter(), subscribe)).Message);
    }

    [Theory]
    [InlineData("a/+/c/#")]
    [InlineData("#")]
    [InlineData("+")]
    [InlineData("/")]
    [InlineData("$share/g/a/#")]
    public void A_valid_filter_passes(string filter) =>
        Assert.Null(Record.Exception(() => MqttTopics.ValidateFilter(filter)));
}
