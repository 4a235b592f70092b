using Hub.Mqtt;
using System.Buffers;
using Hub.Mqtt.Codec.V311;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;
using Hub.Tests.Support;

namespace Hub.Tests.Mqtt.Framing;

public sealed class MqttFrameReaderTests
{
    private static readonly MqttV311PacketFormatter Formatter = new();

    private static readonly MqttPacket[] Stream =
    [
        new ConnAckPacket(true, 0),
        new PublishPacket(new MqttApplicationMessage("a/b", "hello"u8.ToArray(), 1), 7),
        new PublishPacket(new MqttApplicationMessage("big", new byte[20_000])),
        PingRespPacket.Instance,
        new SubAckPacket(3, [0, 1, 0x80]),
        new PubRelPacket(9),
    ];

    [Fact]
    public void Packets_fed_one_byte_at_a_time_come_out_whole_and_in_order()
    {
        var bytes = Encode(Stream);
        var received = new List<string>();
        var pending = Array.Empty<byte>();
        foreach (var b in bytes)
        {
            pending = [.. pending, b];
            var buffer = new ReadOnlySequence<byte>(pending);
            while (MqttFrameReader.TryRead(ref buffer, int.MaxValue, out var frame))
            {
                received.Add(Formatter.Decode(frame).ToString());
            }

            pending = buffer.ToArray();
        }

        Assert.Equal(Stream.Select(p => p.ToString()), received);
        Assert.Empty(pending);
    }

    [Fact]
    public void Packets_spread_over_many_one_byte_segments_decode_the_same()
    {
        var buffer = Segments.OneBytePerSegment(Encode(Stream));
        var received = new List<string>();
        while (MqttFrameReader.TryRead(ref buffer, int.MaxValue, out var frame))
        {
            received.Add(Formatter.Decode(frame).ToString());
        }

        Assert.Equal(Stream.Select(p => p.ToString()), received);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Merged_packets_in_one_read_all_come_out()
    {
        var buffer = new ReadOnlySequence<byte>(Encode(Stream));
        var count = 0;
        while (MqttFrameReader.TryRead(ref buffer, int.MaxValue, out _))
        {
            count++;
        }

        Assert.Equal(Stream.Length, count);
    }

    [Fact]
    public void A_packet_announced_larger_than_the_maximum_is_refused_before_its_body_arrives()
    {
        // Only the header: nothing of the announced 268 MB has arrived, and nothing is allocated for it.
        var buffer = new ReadOnlySequence<byte>([0x30, 0xFF, 0xFF, 0xFF, 0x7F]);
        var ex = Assert.Throws<MqttProtocolException>(() => MqttFrameReader.TryRead(ref buffer, 1024, out _));
        Assert.Contains("exceeds the maximum packet size 1024", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_packet_of_exactly_the_maximum_size_is_accepted()
    {
        var buffer = new ReadOnlySequence<byte>([0x40, 0x02, 0x00, 0x01]);
        Assert.True(MqttFrameReader.TryRead(ref buffer, 4, out _));
    }

    [Fact]
    public void An_incomplete_packet_leaves_the_buffer_untouched()
    {
        var original = new ReadOnlySequence<byte>([0x40, 0x02, 0x00]);
        var buffer = original;
        Assert.False(MqttFrameReader.TryRead(ref buffer, int.MaxValue, out _));
        Assert.Equal(original.Length, buffer.Length);
    }

    private static byte[] Encode(IEnumerable<MqttPacket> packets)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var packet in packets)
        {
            Formatter.Encode(packet, output);
        }

        return output.WrittenSpan.ToArray();
    }
}
