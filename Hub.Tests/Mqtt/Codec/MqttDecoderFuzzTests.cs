using System.Buffers;
using System.Diagnostics;
using Hub.Mqtt.Codec;
using Hub.Mqtt.Framing;
using Hub.Tests.Support;

namespace Hub.Tests.Mqtt.Codec;

/// <summary>
/// Seeded fuzzing of framing + decoding for 3.1.1 and 5.0: random bytes and mutations of the golden packets
/// (bit flips, truncations, changed length fields, inserted bytes). Every input must decode or throw
/// <see cref="MqttProtocolException"/>: no other exception, no hang, and no allocation beyond a small multiple
/// of the bytes actually received, whatever lengths the packet claims.
/// </summary>
public sealed class MqttDecoderFuzzTests
{
    private const int Cases = 25_000;
    private const int MaxPacketSize = 1 << 20;

    // Decoded objects (strings, lists, records) cost more than their wire bytes, so the bound is a multiple of
    // the frame plus a constant for the exception and the packet name; a claimed length never counts.
    private const int AllocationPerByte = 32;
    private const int AllocationConstant = 16 * 1024;

    public static TheoryData<int> Levels() => [4, 5];

    [Theory]
    [MemberData(nameof(Levels))]
    public void Random_and_mutated_packets_decode_or_throw_a_protocol_exception(int level)
    {
        var formatter = MqttPacketFormatters.For(level);
        var seeds = Seeds(level);
        foreach (var seed in seeds)
        {
            Feed(formatter, seed, segmented: false); // warm up: first calls load types and fill caches
        }

        var current = Array.Empty<byte>();
        var outcomes = new Outcomes();
        var worker = Task.Factory.StartNew(
            () =>
            {
                var random = new Random(20261122 + level);
                var stopwatch = new Stopwatch();
                for (var i = 0; i < Cases; i++)
                {
                    var input = Mutate(random, seeds);
                    Volatile.Write(ref current, input);
                    stopwatch.Restart();
                    Feed(formatter, input, segmented: random.Next(8) == 0, outcomes);
                    Assert.True(stopwatch.ElapsedMilliseconds < 1000, $"case {i} took {stopwatch.ElapsedMilliseconds} ms: {Convert.ToHexString(input)}");
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        Assert.True(worker.Wait(TimeSpan.FromSeconds(60)), $"decoding hangs on {Convert.ToHexString(Volatile.Read(ref current))}");
        worker.GetAwaiter().GetResult();

        // The mutations must reach the decoder, not just the framing: plenty of frames decode and plenty are refused.
        Assert.InRange(outcomes.Decoded, Cases / 10, int.MaxValue);
        Assert.InRange(outcomes.Refused, Cases / 10, int.MaxValue);
    }

    public static TheoryData<int, string> ClaimedLengths() => new()
    {
        { 4, "30 05 FFFF 61 62 63" }, // topic claims 65535 bytes
        { 4, "10 0C 0004 4D515454 04 02 003C FFFF 63" }, // client id claims 65535 bytes
        { 5, "30 09 0001 61 FF FF FF 7F 01 02" }, // property length claims 268,435,455 bytes
        { 5, "20 08 00 00 05 1F FFFF 61 62" }, // reason string claims 65535 bytes
        { 5, "30 09 0001 61 05 09 FFFF 0102" }, // correlation data claims 65535 bytes
        { 5, "10 0E 0004 4D515454 05 02 003C 00 FFFF 63" }, // client id claims 65535 bytes
        { 5, "90 07 0001 FF FF FF 7F 00" }, // SUBACK property length claims 268,435,455 bytes
    };

    [Theory]
    [MemberData(nameof(ClaimedLengths))]
    public void A_claimed_length_larger_than_the_packet_allocates_nothing_near_it(int level, string hex)
    {
        var formatter = MqttPacketFormatters.For(level);
        var bytes = V5GoldenPackets.Bytes(hex);
        Feed(formatter, bytes, segmented: false); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<MqttProtocolException>(() => Decode(formatter, bytes));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, AllocationConstant);
    }

    [Fact]
    public void A_remaining_length_claiming_more_than_arrived_buffers_nothing()
    {
        var buffer = new ReadOnlySequence<byte>(V5GoldenPackets.Bytes("30 FF FF FF 7F 0001 61"));
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(MqttFrameReader.TryRead(ref buffer, int.MaxValue, out _));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1024);
    }

    private static void Decode(IMqttPacketFormatter formatter, byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        while (MqttFrameReader.TryRead(ref buffer, MaxPacketSize, out var frame))
        {
            formatter.Decode(frame);
        }
    }

    /// <summary>Frames and decodes everything in <paramref name="input"/>; only <see cref="MqttProtocolException"/> may escape, and it is swallowed.</summary>
    private static void Feed(IMqttPacketFormatter formatter, byte[] input, bool segmented, Outcomes? outcomes = null)
    {
        outcomes ??= new Outcomes();
        var buffer = segmented ? Segments.OneBytePerSegment(input) : new ReadOnlySequence<byte>(input);
        try
        {
            while (MqttFrameReader.TryRead(ref buffer, MaxPacketSize, out var frame))
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                long allocated;
                try
                {
                    formatter.Decode(frame);
                    outcomes.Decoded++;
                }
                catch (MqttProtocolException)
                {
                    outcomes.Refused++;
                    throw;
                }
                finally
                {
                    allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                }

                Assert.True(
                    allocated <= (AllocationPerByte * frame.Body.Length) + AllocationConstant,
                    $"decoding {frame.Body.Length} bytes allocated {allocated}: {Convert.ToHexString(input)}");
            }
        }
        catch (MqttProtocolException)
        {
            // the expected outcome for broken input
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{ex.GetType().Name} instead of MqttProtocolException for {Convert.ToHexString(input)}: {ex}");
        }
    }

    private static byte[][] Seeds(int level)
    {
        var hexes = level == 5
            ? V5GoldenPackets.All.Select(c => c.Hex)
            : V311GoldenBytesTests.SharedPackets().Select(row => (string)row[2]).Concat(
            [
                "100D00044D5154540402003C000163",
                "1019 00044D515454 04 EC 000A 000163 000177 000178 000175 000170",
                "20020100",
            ]);
        return hexes.Select(V5GoldenPackets.Bytes).Distinct(new BytesComparer()).ToArray();
    }

    private static byte[] Mutate(Random random, byte[][] seeds)
    {
        var seed = seeds[random.Next(seeds.Length)];
        var (header, body) = Split(seed);
        switch (random.Next(9))
        {
            case 0: // random bytes, half of them with a remaining length that fits
            {
                var bytes = new byte[random.Next(0, 48)];
                random.NextBytes(bytes);
                return bytes.Length > 2 && random.Next(2) == 0 ? Frame(bytes[0], bytes.AsSpan(2)) : bytes;
            }

            case 1: // bit flips anywhere
            {
                var bytes = (byte[])seed.Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            }

            case 2: // bit flips in the body, remaining length kept consistent
            {
                var bytes = body.ToArray();
                if (bytes.Length > 0)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return Frame(header, bytes);
            }

            case 3: // truncated stream
                return seed[..random.Next(seed.Length)];

            case 4: // truncated body with a matching remaining length
                return Frame(header, body[..random.Next(body.Length + 1)]);

            case 5: // remaining length changed
            {
                var claimed = random.Next(3) switch
                {
                    0 => Math.Max(0, body.Length + random.Next(-3, 4)),
                    1 => random.Next(0, 128),
                    _ => random.Next(0, RemainingLength.Max + 1),
                };
                var bytes = new byte[1 + RemainingLength.GetSize(claimed) + body.Length];
                bytes[0] = header;
                var size = RemainingLength.Write(bytes.AsSpan(1), claimed);
                body.CopyTo(bytes.AsSpan(1 + size));
                return bytes;
            }

            case 6: // an inner length field (string, binary, property list) overwritten with a large or random value
            {
                var bytes = body.ToArray();
                if (bytes.Length >= 2)
                {
                    var at = random.Next(bytes.Length - 1);
                    if (random.Next(2) == 0)
                    {
                        bytes[at] = 0xFF;
                        bytes[at + 1] = (byte)random.Next(256);
                    }
                    else
                    {
                        ReadOnlySpan<byte> vbi = [0xFF, 0xFF, 0xFF, 0x7F];
                        vbi[..Math.Min(4, bytes.Length - at)].CopyTo(bytes.AsSpan(at));
                    }
                }

                return Frame(header, bytes);
            }

            case 7: // bytes inserted into the body, remaining length adjusted or not
            {
                var extra = new byte[random.Next(1, 5)];
                random.NextBytes(extra);
                var at = random.Next(body.Length + 1);
                byte[] bytes = [.. body[..at], .. extra, .. body[at..]];
                return random.Next(4) == 0 ? [header, .. seed.AsSpan(1, seed.Length - 1 - body.Length), .. bytes] : Frame(header, bytes);
            }

            default: // two mutated packets back to back
                return [.. Mutate(random, seeds), .. Mutate(random, seeds)];
        }
    }

    private static (byte Header, byte[] Body) Split(byte[] packet)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(packet));
        reader.Advance(1);
        RemainingLength.TryRead(ref reader, out _);
        return (packet[0], packet[(int)reader.Consumed..]);
    }

    private static byte[] Frame(byte header, ReadOnlySpan<byte> body)
    {
        var bytes = new byte[1 + RemainingLength.GetSize(body.Length) + body.Length];
        bytes[0] = header;
        var size = RemainingLength.Write(bytes.AsSpan(1), body.Length);
        body.CopyTo(bytes.AsSpan(1 + size));
        return bytes;
    }

    private sealed class Outcomes
    {
        public int Decoded { get; set; }

        public int Refused { get; set; }
    }

    private sealed class BytesComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
