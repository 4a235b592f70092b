using Hub.Mqtt;
using Hub.Mqtt.Codec;
using Hub.Mqtt.Codec.V5;
using Hub.Mqtt.Packets;

namespace Hub.Tests.Mqtt.Codec;

/// <summary>Every MQTT 5.0 packet and property against bytes worked out by hand (<see cref="V5GoldenPackets"/>).</summary>
public sealed class V5GoldenBytesTests
{
    private static readonly MqttV5PacketFormatter Formatter = new();

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, hex, _) in V5GoldenPackets.All)
        {
            data.Add(name, hex);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_packet_encodes_to_its_golden_bytes(string name, string hex) =>
        Assert.Equal(hex.Replace(" ", "", StringComparison.Ordinal), PacketBytes.Encode(Formatter, V5GoldenPackets.Packet(name)));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_packet_decodes_from_its_golden_bytes_to_an_equal_packet(string name, string hex) =>
        AssertEquivalent(V5GoldenPackets.Packet(name), PacketBytes.Decode(Formatter, hex));

    [Fact]
    public void The_golden_packets_use_every_packet_type_and_every_property()
    {
        var types = V5GoldenPackets.All.Select(c => c.Packet.Type).Distinct();
        Assert.Equal(Enum.GetValues<MqttPacketType>().Order(), types.Order());

        var used = V5GoldenPackets.All.SelectMany(c => PropertyIds(c.Packet)).ToHashSet();
        Assert.Equal(Enum.GetValues<MqttPropertyId>().Order(), used.Order());
    }

    [Fact]
    public void The_formatter_is_picked_for_protocol_level_5() =>
        Assert.IsType<MqttV5PacketFormatter>(MqttPacketFormatters.For(5));

    [Fact]
    public void A_property_list_longer_than_127_bytes_has_a_two_byte_length()
    {
        var packet = new PubAckPacket(1) { Properties = new() { ReasonString = new string('r', 200) } };
        var hex = PacketBytes.Encode(Formatter, packet);

        // body: id 2 + reason 1 + length 2 + (1F + 2 + 200 = 203 = 0xCB 0x01)
        Assert.StartsWith("40D0010001" + "00" + "CB01" + "1F00C8", hex, StringComparison.Ordinal);
        Assert.Equal(packet, PacketBytes.Decode(Formatter, hex));
    }

    [Fact]
    public void A_lone_reason_code_is_read_in_disconnect_and_auth()
    {
        Assert.Equal(new DisconnectPacket { ReasonCode = MqttReasonCode.ServerShuttingDown }, PacketBytes.Decode(Formatter, "E0 01 8B"));
        Assert.Equal(new AuthPacket(MqttReasonCode.ReAuthenticate), PacketBytes.Decode(Formatter, "F0 01 19"));
    }

    [Fact]
    public void A_3_1_1_connack_refusing_the_protocol_version_reads_as_unsupported_protocol_version() =>
        Assert.Equal(new ConnAckPacket(false, 0x84), PacketBytes.Decode(Formatter, "20 02 00 01"));

    [Fact]
    public void Authentication_data_never_reaches_a_log()
    {
        var text = new AuthPacket(MqttReasonCode.ContinueAuthentication) { Properties = new() { AuthenticationMethod = "m", AuthenticationData = "secret"u8.ToArray() } }.ToString();
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString("secret"u8), text, StringComparison.Ordinal);
        Assert.Contains("6 bytes", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ConnAck", 0x87, "Not authorized")]
    [InlineData("ConnAck", 0x86, "Bad User Name or Password")]
    [InlineData("PubAck", 0x10, "No matching subscribers")]
    [InlineData("SubAck", 0x00, "Granted QoS 0")]
    [InlineData("SubAck", 0x02, "Granted QoS 2")]
    [InlineData("SubAck", 0xA2, "Wildcard Subscriptions not supported")]
    [InlineData("UnsubAck", 0x11, "No subscription existed")]
    [InlineData("Disconnect", 0x00, "Normal disconnection")]
    [InlineData("Disconnect", 0x04, "Disconnect with Will Message")]
    [InlineData("Disconnect", 0x8E, "Session taken over")]
    [InlineData("Auth", 0x18, "Continue authentication")]
    [InlineData("PubRel", 0x92, "Packet Identifier not found")]
    [InlineData("PubAck", 0x04, "Reason code 0x04 (not defined for PUBACK)")]
    public void Reason_codes_are_reported_in_the_specifications_words(string packet, byte code, string words) =>
        Assert.Equal(words, MqttReasonCodes.Describe(Enum.Parse<MqttPacketType>(packet), code));

    [Fact]
    public void A_log_line_shows_the_reason_in_words_and_the_properties() =>
        Assert.Equal(
            "PUBACK(id=10, reason=0x87 Not authorized, props={reason=no, user=[a=b]})",
            V5GoldenPackets.Packet("puback-refused").ToString());

    /// <summary>Publish payloads and Will payloads are memory, compared by content; everything else by record equality.</summary>
    internal static void AssertEquivalent(MqttPacket expected, MqttPacket actual)
    {
        switch (expected, actual)
        {
            case (PublishPacket e, PublishPacket a):
                Assert.Equal(e.Message.Payload.ToArray(), a.Message.Payload.ToArray());
                Assert.Equal(e with { Message = e.Message with { Payload = default } }, a with { Message = a.Message with { Payload = default } });
                break;
            case (ConnectPacket { Will: { } ew } e, ConnectPacket { Will: { } aw } a):
                Assert.Equal(ew.Payload.ToArray(), aw.Payload.ToArray());
                Assert.Equal(e with { Will = ew with { Payload = default } }, a with { Will = aw with { Payload = default } });
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }

        Assert.Equal(expected.ToString(), actual.ToString());
    }

    private static IEnumerable<MqttPropertyId> PropertyIds(MqttPacket packet)
    {
        var lists = packet switch
        {
            ConnectPacket c => new[] { c.Properties, c.WillProperties },
            ConnAckPacket c => new[] { c.Properties },
            PublishPacket p => new[] { p.Properties },
            PubAckPacket p => new[] { p.Properties },
            PubRecPacket p => new[] { p.Properties },
            PubRelPacket p => new[] { p.Properties },
            PubCompPacket p => new[] { p.Properties },
            SubscribePacket s => new[] { s.Properties },
            SubAckPacket s => new[] { s.Properties },
            UnsubscribePacket u => new[] { u.Properties },
            UnsubAckPacket u => new[] { u.Properties },
            DisconnectPacket d => new[] { d.Properties },
            AuthPacket a => new[] { a.Properties },
            _ => Array.Empty<MqttProperties>(),
        };
        return lists.SelectMany(Present);
    }

    private static IEnumerable<MqttPropertyId> Present(MqttProperties p)
    {
        var checks = new (object? Value, MqttPropertyId Id)[]
        {
            (p.PayloadFormatIndicator, MqttPropertyId.PayloadFormatIndicator),
            (p.MessageExpiryInterval, MqttPropertyId.MessageExpiryInterval),
            (p.ContentType, MqttPropertyId.ContentType),
            (p.ResponseTopic, MqttPropertyId.ResponseTopic),
            (p.CorrelationData, MqttPropertyId.CorrelationData),
            (p.SubscriptionIdentifiers.Count > 0 ? true : null, MqttPropertyId.SubscriptionIdentifier),
            (p.SessionExpiryInterval, MqttPropertyId.SessionExpiryInterval),
            (p.AssignedClientIdentifier, MqttPropertyId.AssignedClientIdentifier),
            (p.ServerKeepAlive, MqttPropertyId.ServerKeepAlive),
            (p.AuthenticationMethod, MqttPropertyId.AuthenticationMethod),
            (p.AuthenticationData, MqttPropertyId.AuthenticationData),
            (p.RequestProblemInformation, MqttPropertyId.RequestProblemInformation),
            (p.WillDelayInterval, MqttPropertyId.WillDelayInterval),
            (p.RequestResponseInformation, MqttPropertyId.RequestResponseInformation),
            (p.ResponseInformation, MqttPropertyId.ResponseInformation),
            (p.ServerReference, MqttPropertyId.ServerReference),
            (p.ReasonString, MqttPropertyId.ReasonString),
            (p.ReceiveMaximum, MqttPropertyId.ReceiveMaximum),
            (p.TopicAliasMaximum, MqttPropertyId.TopicAliasMaximum),
            (p.TopicAlias, MqttPropertyId.TopicAlias),
            (p.MaximumQos, MqttPropertyId.MaximumQos),
            (p.RetainAvailable, MqttPropertyId.RetainAvailable),
            (p.UserProperties.Count > 0 ? true : null, MqttPropertyId.UserProperty),
            (p.MaximumPacketSize, MqttPropertyId.MaximumPacketSize),
            (p.WildcardSubscriptionAvailable, MqttPropertyId.WildcardSubscriptionAvailable),
            (p.SubscriptionIdentifiersAvailable, MqttPropertyId.SubscriptionIdentifierAvailable),
            (p.SharedSubscriptionAvailable, MqttPropertyId.SharedSubscriptionAvailable),
        };
        return checks.Where(c => c.Value is not null).Select(c => c.Id);
    }
}
