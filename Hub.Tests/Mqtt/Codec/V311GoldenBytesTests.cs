using Hub.Mqtt;
using Hub.Mqtt.Codec.V311;
using Hub.Mqtt.Packets;

namespace Hub.Tests.Mqtt.Codec;

/// <summary>Every 3.1/3.1.1 packet against bytes worked out by hand from the specification.</summary>
public sealed class V311GoldenBytesTests
{
    public static TheoryData<int, string, string> SharedPackets()
    {
        var data = new TheoryData<int, string, string>();
        foreach (var level in new[] { 3, 4 })
        {
            data.Add(level, "publish-qos0", "30 07 0003 612F62 6869");
            data.Add(level, "publish-qos1-dup-retain", "3B 09 0003 612F62 000A 6869");
            data.Add(level, "publish-qos2", "34 09 0003 612F62 1234 6869");
            data.Add(level, "publish-empty-payload", "30 03 0001 78");
            data.Add(level, "puback", "40 02 000A");
            data.Add(level, "pubrec", "50 02 000A");
            data.Add(level, "pubrel", "62 02 000A");
            data.Add(level, "pubcomp", "70 02 000A");
            data.Add(level, "subscribe", "82 0C 0001 0003 612F23 01 0001 62 02");
            data.Add(level, "suback", "90 04 0001 01 80");
            data.Add(level, "unsubscribe", "A2 07 0002 0003 612F23");
            data.Add(level, "unsuback", "B0 02 0002");
            data.Add(level, "pingreq", "C0 00");
            data.Add(level, "pingresp", "D0 00");
            data.Add(level, "disconnect", "E0 00");
        }

        return data;
    }

    private static MqttPacket Packet(string name) => name switch
    {
        "publish-qos0" => new PublishPacket(new MqttApplicationMessage("a/b", "hi"u8.ToArray())),
        "publish-qos1-dup-retain" => new PublishPacket(new MqttApplicationMessage("a/b", "hi"u8.ToArray(), 1, true) { Dup = true }, 10),
        "publish-qos2" => new PublishPacket(new MqttApplicationMessage("a/b", "hi"u8.ToArray(), 2), 0x1234),
        "publish-empty-payload" => new PublishPacket(new MqttApplicationMessage("x", ReadOnlyMemory<byte>.Empty)),
        "puback" => new PubAckPacket(10),
        "pubrec" => new PubRecPacket(10),
        "pubrel" => new PubRelPacket(10),
        "pubcomp" => new PubCompPacket(10),
        "subscribe" => new SubscribePacket(1, [new MqttSubscription("a/#", 1), new MqttSubscription("b", 2)]),
        "suback" => new SubAckPacket(1, [1, 0x80]),
        "unsubscribe" => new UnsubscribePacket(2, ["a/#"]),
        "unsuback" => new UnsubAckPacket(2),
        "pingreq" => PingReqPacket.Instance,
        "pingresp" => PingRespPacket.Instance,
        "disconnect" => DisconnectPacket.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(SharedPackets))]
    public void Each_packet_encodes_to_its_golden_bytes(int level, string name, string hex) =>
        Assert.Equal(hex.Replace(" ", "", StringComparison.Ordinal), PacketBytes.Encode(new MqttV311PacketFormatter(level), Packet(name)));

    [Theory]
    [MemberData(nameof(SharedPackets))]
    public void Each_packet_decodes_from_its_golden_bytes(int level, string name, string hex) =>
        Assert.Equal(Packet(name).ToString(), PacketBytes.Decode(new MqttV311PacketFormatter(level), hex).ToString());

    [Fact]
    public void Connect_3_1_1_uses_protocol_name_MQTT_level_4()
    {
        const string hex = "100D00044D5154540402003C000163";
        var packet = new ConnectPacket(4, "c", 60, true);
        Assert.Equal(hex, PacketBytes.Encode(new MqttV311PacketFormatter(4), packet));
        Assert.Equal(packet, PacketBytes.Decode(new MqttV311PacketFormatter(4), hex));
    }

    [Fact]
    public void Connect_3_1_uses_protocol_name_MQIsdp_level_3()
    {
        const string hex = "100F00064D514973647003 02 003C 000163";
        var packet = new ConnectPacket(3, "c", 60, true);
        Assert.Equal(hex.Replace(" ", "", StringComparison.Ordinal), PacketBytes.Encode(new MqttV311PacketFormatter(3), packet));
        Assert.Equal(packet, PacketBytes.Decode(new MqttV311PacketFormatter(3), hex));
    }

    [Fact]
    public void Connect_with_will_user_and_password_sets_every_flag_and_field_in_order()
    {
        // flags: user 0x80 | password 0x40 | will retain 0x20 | will QoS 1 (0x08) | will 0x04; clean session off
        const string hex = "1019 00044D515454 04 EC 000A 000163 000177 000178 000175 000170";
        var will = new MqttWill("w", "x"u8.ToArray(), 1, true);
        var packet = new ConnectPacket(4, "c", 10, false, "u", "p", will);
        Assert.Equal(hex.Replace(" ", "", StringComparison.Ordinal), PacketBytes.Encode(new MqttV311PacketFormatter(4), packet));

        var decoded = Assert.IsType<ConnectPacket>(PacketBytes.Decode(new MqttV311PacketFormatter(4), hex));
        Assert.Equal(("u", "p", false, (ushort)10), (decoded.Username, decoded.Password, decoded.CleanSession, decoded.KeepAliveSeconds));
        Assert.Equal(("w", "x", 1, true), (decoded.Will!.Topic, System.Text.Encoding.UTF8.GetString(decoded.Will.Payload.Span), decoded.Will.Qos, decoded.Will.Retain));
    }

    [Fact]
    public void The_connect_log_line_never_shows_the_password() =>
        Assert.DoesNotContain("secret", new ConnectPacket(4, "c", 10, true, "u", "secret").ToString(), StringComparison.Ordinal);

    [Fact]
    public void A_password_without_a_user_name_is_not_sent_in_3_1_1() =>
        Assert.Throws<ArgumentException>(() => PacketBytes.Encode(new MqttV311PacketFormatter(4), new ConnectPacket(4, "c", 10, true, null, "p")));

    [Fact]
    public void Connack_3_1_1_carries_session_present()
    {
        Assert.Equal("20020100", PacketBytes.Encode(new MqttV311PacketFormatter(4), new ConnAckPacket(true, 0)));
        Assert.Equal(new ConnAckPacket(true, 0), PacketBytes.Decode(new MqttV311PacketFormatter(4), "20020100"));
        Assert.Equal(new ConnAckPacket(false, 5), PacketBytes.Decode(new MqttV311PacketFormatter(4), "20020005"));
    }

    [Fact]
    public void Connack_3_1_has_no_session_present_flag()
    {
        Assert.Equal("20020000", PacketBytes.Encode(new MqttV311PacketFormatter(3), new ConnAckPacket(true, 0)));
        Assert.Equal(new ConnAckPacket(false, 4), PacketBytes.Decode(new MqttV311PacketFormatter(3), "20020004"));
    }

    [Fact]
    public void A_qos_0_publish_never_carries_dup()
    {
        var packet = new PublishPacket(new MqttApplicationMessage("a", "x"u8.ToArray()) { Dup = true });
        Assert.Equal("3004000161" + "78", PacketBytes.Encode(new MqttV311PacketFormatter(), packet));
    }

    [Fact]
    public void A_payload_needing_a_two_byte_remaining_length_round_trips()
    {
        var packet = new PublishPacket(new MqttApplicationMessage("t", new byte[200]));
        var hex = PacketBytes.Encode(new MqttV311PacketFormatter(), packet);
        Assert.StartsWith("30CB01", hex, StringComparison.Ordinal); // 203 = 0xCB 0x01
        Assert.Equal(packet.ToString(), PacketBytes.Decode(new MqttV311PacketFormatter(), hex).ToString());
    }
}
