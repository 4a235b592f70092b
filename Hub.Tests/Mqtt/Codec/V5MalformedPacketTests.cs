using Hub.Mqtt;
using Hub.Mqtt.Codec.V5;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;

namespace Hub.Tests.Mqtt.Codec;

/// <summary>
/// Bad MQTT 5.0 input ends in <see cref="MqttProtocolException"/> whose message says why and whose reason code
/// is the one the DISCONNECT should carry: 0x81 Malformed Packet or 0x82 Protocol Error.
/// </summary>
public sealed class V5MalformedPacketTests
{
    private static readonly MqttV5PacketFormatter Formatter = new();

    [Theory]
    // properties in the wrong packet, unknown, or too long
    [InlineData("20 05 00 00 02 01 01", "Malformed CONNACK: property 0x01 (Payload Format Indicator) is not allowed")]
    [InlineData("40 07 000A 00 03 23 0001", "PUBACK: property 0x23 (Topic Alias) is not allowed")]
    [InlineData("10 19 0004 4D515454 05 06 003C 00 0001 63 05 11 00000000 0001 77 0000", "CONNECT will properties: property 0x11")]
    [InlineData("20 05 00 00 02 05 00", "unknown property 0x05")]
    [InlineData("20 06 00 00 03 80 01 00", "unknown property 0x80")] // identifier 128 as a two-byte variable byte integer
    [InlineData("40 06 000A 00 05 1F 00", "property length 5 exceeds the 2 bytes left")]
    [InlineData("40 08 000A 00 FF FF FF FF 01", "longer than 4 bytes")]
    [InlineData("40 07 000A 00 03 1F 0005", "truncated")] // reason string claims 5 bytes, none follow
    // strings
    [InlineData("30 08 0001 61 04 03 0001 FF", "UTF-8")] // content type
    [InlineData("30 0B 0001 61 07 26 0001 00 0001 62", "U+0000")] // user property name
    [InlineData("30 06 0003 ED A0 80 00", "UTF-8")] // topic: encoded lone surrogate U+D800
    [InlineData("30 05 0002 612B 00", "invalid topic name")]
    [InlineData("30 08 0001 61 04 08 0001 23", "invalid response topic")]
    // reason codes not defined for the packet
    [InlineData("20 03 00 10 00", "reason code 0x10 is not defined for CONNACK")]
    [InlineData("40 03 000A 01", "reason code 0x01 is not defined for PUBACK")]
    [InlineData("62 03 000A 10", "reason code 0x10 is not defined for PUBREL")]
    [InlineData("90 04 0001 00 03", "reason code 0x03 is not defined for SUBACK")]
    [InlineData("B0 04 0002 00 01", "reason code 0x01 is not defined for UNSUBACK")]
    [InlineData("E0 01 10", "reason code 0x10 is not defined for DISCONNECT")]
    [InlineData("F0 02 01 00", "reason code 0x01 is not defined for AUTH")]
    // subscription options
    [InlineData("82 07 0001 00 0001 61 40", "subscription options 0x40")]
    [InlineData("82 07 0001 00 0001 61 03", "subscription options 0x03")]
    // structure
    [InlineData("20 03 02 00 00", "reserved flags")]
    [InlineData("20 02 00 00", "no property length")]
    [InlineData("10 0E 0004 4D515454 05 03 003C 00 0001 63", "flags 0x03")]
    [InlineData("90 03 0001 00", "no reason codes")]
    [InlineData("B0 03 0001 00", "no reason codes")]
    [InlineData("40 02 0000", "packet id 0")]
    [InlineData("C0 01 00", "unexpected bytes")]
    [InlineData("E0 03 00 00 00", "unexpected bytes")]
    [InlineData("41 02 000A", "flags")]
    public void Malformed_packets_are_refused_with_a_reason(string hex, string reason)
    {
        var ex = Assert.Throws<MqttProtocolException>(() => PacketBytes.Decode(Formatter, hex));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Equal(MqttReasonCode.MalformedPacket, ex.ReasonCode);
    }

    [Theory]
    [InlineData("20 09 00 00 06 1F 0000 1F 0000", "property 0x1F (Reason String) appears more than once")]
    [InlineData("82 0B 0001 04 0B 01 0B 02 0001 61 00", "property 0x0B (Subscription Identifier) appears more than once")]
    [InlineData("20 06 00 00 03 21 0000", "property 0x21 (Receive Maximum) is 0")]
    [InlineData("20 08 00 00 05 27 00000000", "property 0x27 (Maximum Packet Size) is 0")]
    [InlineData("30 07 0001 61 03 23 0000", "property 0x23 (Topic Alias) is 0")]
    [InlineData("30 06 0001 61 02 0B 00", "subscription identifier 0")]
    [InlineData("20 05 00 00 02 24 02", "property 0x24 (Maximum QoS) has value 2")]
    [InlineData("20 05 00 00 02 25 02", "property 0x25 (Retain Available) has value 2")]
    [InlineData("30 06 0001 61 02 01 02", "property 0x01 (Payload Format Indicator) has value 2")]
    [InlineData("10 10 0004 4D515454 05 02 003C 02 17 02 0001 63", "property 0x17 (Request Problem Information) has value 2")]
    [InlineData("F0 07 18 05 16 0002 0102", "authentication data without an authentication method")]
    [InlineData("30 03 0000 00", "empty topic name without a topic alias")]
    [InlineData("20 03 01 87 00", "session present with reason code 0x87")]
    [InlineData("82 07 0001 00 0001 61 30", "retain handling 3")]
    [InlineData("82 10 0001 00 000A 2473686172652F672F61 04", "No Local on the shared subscription '$share/g/a'")]
    [InlineData("82 03 0001 00", "no topic filter")]
    [InlineData("A2 03 0001 00", "no topic filter")]
    public void Protocol_errors_are_refused_with_a_reason(string hex, string reason)
    {
        var ex = Assert.Throws<MqttProtocolException>(() => PacketBytes.Decode(Formatter, hex));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Equal(MqttReasonCode.ProtocolError, ex.ReasonCode);
    }

    [Fact]
    public void A_connect_for_another_protocol_version_is_refused_as_unsupported()
    {
        var ex = Assert.Throws<MqttProtocolException>(() => PacketBytes.Decode(Formatter, "10 0E 0004 4D515454 04 02 003C 00 0001 63"));
        Assert.Equal(MqttReasonCode.UnsupportedProtocolVersion, ex.ReasonCode);
    }

    public static TheoryData<string> UnsendablePackets() =>
    [
        "topic alias in PUBACK",
        "reason 0x04 in PUBACK",
        "granted QoS 1 in UNSUBACK",
        "retain handling 3",
        "QoS 3 subscription",
        "two subscription ids in SUBSCRIBE",
        "subscription id 0",
        "no local on a shared subscription",
        "U+0000 in a user property",
        "lone surrogate in the reason string",
        "empty topic without alias",
        "wildcard in the response topic",
        "UNSUBACK without codes",
        "authentication data without method",
        "will properties without a will",
        "session present on a refusal",
        "receive maximum 0",
        "maximum QoS 2",
        "correlation data over 65535 bytes",
    ];

    [Theory]
    [MemberData(nameof(UnsendablePackets))]
    public void Packets_that_break_the_rules_are_not_sent(string name) =>
        Assert.Throws<ArgumentException>(() => PacketBytes.Encode(Formatter, Unsendable(name)));

    private static MqttPacket Unsendable(string name) => name switch
    {
        "topic alias in PUBACK" => new PubAckPacket(1) { Properties = new() { TopicAlias = 1 } },
        "reason 0x04 in PUBACK" => new PubAckPacket(1) { ReasonCode = MqttReasonCode.DisconnectWithWillMessage },
        "granted QoS 1 in UNSUBACK" => new UnsubAckPacket(1) { ReasonCodes = [1] },
        "retain handling 3" => new SubscribePacket(1, [new MqttSubscription("a", 0) { RetainHandling = 3 }]),
        "QoS 3 subscription" => new SubscribePacket(1, [new MqttSubscription("a", 3)]),
        "two subscription ids in SUBSCRIBE" => new SubscribePacket(1, [new MqttSubscription("a", 0)]) { Properties = new() { SubscriptionIdentifiers = [1, 2] } },
        "subscription id 0" => new SubscribePacket(1, [new MqttSubscription("a", 0)]) { Properties = new() { SubscriptionIdentifiers = [0] } },
        "no local on a shared subscription" => new SubscribePacket(1, [new MqttSubscription("$share/g/a", 0) { NoLocal = true }]),
        "U+0000 in a user property" => new DisconnectPacket { Properties = new() { UserProperties = [new("a\0", "b")] } },
        "lone surrogate in the reason string" => new PubAckPacket(1) { Properties = new() { ReasonString = "\uD800" } },
        "empty topic without alias" => new PublishPacket(new MqttApplicationMessage("", ReadOnlyMemory<byte>.Empty)),
        "wildcard in the response topic" => new PublishPacket(new MqttApplicationMessage("a", ReadOnlyMemory<byte>.Empty)) { Properties = new() { ResponseTopic = "r/#" } },
        "UNSUBACK without codes" => new UnsubAckPacket(1),
        "authentication data without method" => new AuthPacket(MqttReasonCode.ContinueAuthentication) { Properties = new() { AuthenticationData = new byte[] { 1 } } },
        "will properties without a will" => new ConnectPacket(5, "c", 0, true) { WillProperties = new() { WillDelayInterval = 1 } },
        "session present on a refusal" => new ConnAckPacket(true, 0x87),
        "receive maximum 0" => new ConnectPacket(5, "c", 0, true) { Properties = new() { ReceiveMaximum = 0 } },
        "maximum QoS 2" => new ConnAckPacket(false, 0) { Properties = new() { MaximumQos = 2 } },
        "correlation data over 65535 bytes" => new PublishPacket(new MqttApplicationMessage("a", ReadOnlyMemory<byte>.Empty)) { Properties = new() { CorrelationData = new byte[65536] } },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
