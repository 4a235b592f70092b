using Hub.Mqtt;
using System.Buffers;
using Hub.Mqtt.Framing;

namespace Hub.Tests.Mqtt.Framing;

public sealed class RemainingLengthTests
{
    [Theory]
    [InlineData(0, "00")]
    [InlineData(127, "7F")]
    [InlineData(128, "8001")]
    [InlineData(16_383, "FF7F")]
    [InlineData(16_384, "808001")]
    [InlineData(2_097_151, "FFFF7F")]
    [InlineData(2_097_152, "80808001")]
    [InlineData(268_435_455, "FFFFFF7F")]
    public void Boundary_values_encode_to_the_minimal_bytes_and_decode_back(int value, string hex)
    {
        var buffer = new byte[4];
        var written = RemainingLength.Write(buffer, value);
        Assert.Equal(hex, Convert.ToHexString(buffer, 0, written));
        Assert.Equal(written, RemainingLength.GetSize(value));

        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Convert.FromHexString(hex)));
        Assert.True(RemainingLength.TryRead(ref reader, out var decoded));
        Assert.Equal(value, decoded);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(268_435_456)]
    public void Values_outside_the_range_cannot_be_encoded(int value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RemainingLength.Write(new byte[8], value));

    [Fact]
    public void A_fifth_length_byte_is_malformed()
    {
        var ex = Assert.Throws<MqttProtocolException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>([0xFF, 0xFF, 0xFF, 0xFF, 0x01]));
            RemainingLength.TryRead(ref reader, out _);
        });
        Assert.Contains("more than 4 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unfinished_length_asks_for_more_bytes()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>([0x80, 0x80]));
        Assert.False(RemainingLength.TryRead(ref reader, out _));
    }
}
