using Hub.Mqtt;
using System.Buffers;
using Hub.Mqtt.Codec.V311;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;

namespace Hub.Tests.Mqtt.Codec;

/// <summary>Bad input must end in <see cref="MqttProtocolException"/> (close the connection), never a crash or a hang.</summary>
public sealed class V311MalformedPacketTests
{
    private static readonly MqttV311PacketFormatter Formatter = new();

    [Theory]
    [InlineData("41 02 000A", "flags")] // PUBACK with flags 0001
    [InlineData("60 02 000A", "flags")] // PUBREL without 0010
    [InlineData("80 06 0001 0001 61 00", "flags")] // SUBSCRIBE without 0010
    [InlineData("A0 05 0001 0001 61", "flags")] // UNSUBSCRIBE without 0010
    [InlineData("C1 00", "flags")] // PINGREQ with flags
    [InlineData("36 07 0003 612F62 0001", "QoS 3")]
    [InlineData("00 00", "reserved packet type")]
    [InlineData("F0 00", "does not exist")] // AUTH is MQTT 5 only
    [InlineData("40 01 00", "truncated")]
    [InlineData("30 03 0005 61", "truncated")] // topic length beyond the body
    [InlineData("40 03 000A 00", "unexpected bytes")]
    [InlineData("40 02 0000", "packet id 0")]
    [InlineData("32 05 0001 61 0000", "packet id 0")]
    [InlineData("30 06 0003 61FF62 00", "UTF-8")]
    [InlineData("30 06 0003 ED A0 80 00", "UTF-8")] // encoded lone surrogate U+D800
    [InlineData("30 04 0002 6100", "U+0000")]
    [InlineData("30 04 0002 612B", "topic name")] // wildcard in a received topic
    [InlineData("30 02 0000", "topic name")] // empty topic
    [InlineData("20 02 0200", "reserved flags")] // CONNACK flags
    [InlineData("90 03 0001 03", "return code")]
    [InlineData("90 02 0001", "no return codes")]
    [InlineData("30 FFFFFFFF01", "more than 4 bytes")]
    public void Malformed_bytes_are_refused_with_a_reason(string hex, string reason)
    {
        var ex = Assert.Throws<MqttProtocolException>(() => PacketBytes.Decode(Formatter, hex));
        Assert.Contains(reason, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_packet_larger_than_the_maximum_is_refused() =>
        Assert.Throws<MqttProtocolException>(() => PacketBytes.Decode(Formatter, "30 07 0003 612F62 6869", maxPacketSize: 8));

    [Fact]
    public void Random_bytes_never_crash_or_hang_the_decoder()
    {
        var random = new Random(1234);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(2, 24)];
            random.NextBytes(bytes);
            if (random.Next(2) == 0)
            {
                bytes[1] = (byte)(bytes.Length - 2 > 0 ? Math.Min(bytes.Length - 2, 127) : 0); // plausible length
            }

            var buffer = new ReadOnlySequence<byte>(bytes);
            try
            {
                while (MqttFrameReader.TryRead(ref buffer, 1024, out var frame))
                {
                    Assert.NotNull(Formatter.Decode(frame));
                }
            }
            catch (MqttProtocolException)
            {
                // the expected outcome for garbage
            }
        }
    }

    [Theory]
    [InlineData("a/+")]
    [InlineData("#")]
    [InlineData("")]
    public void Invalid_topic_names_are_not_sent(string topic) =>
        Assert.Throws<ArgumentException>(() => Hub.Mqtt.Codec.MqttTopics.ValidateName(topic));

    [Theory]
    [InlineData("a/#/b")]
    [InlineData("a#")]
    [InlineData("a/b+")]
    public void Invalid_topic_filters_are_not_sent(string filter) =>
        Assert.Throws<ArgumentException>(() => PacketBytes.Encode(Formatter, new SubscribePacket(1, [new MqttSubscription(filter, 0)])));

    [Fact]
    public void A_topic_with_a_lone_surrogate_is_not_sent() =>
        Assert.Throws<ArgumentException>(() => PacketBytes.Encode(Formatter, new PublishPacket(new MqttApplicationMessage("a\uD800", ReadOnlyMemory<byte>.Empty))));
}
