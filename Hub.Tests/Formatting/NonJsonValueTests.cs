using System.Numerics;
using Hub.Formatting;

namespace Hub.Tests.Formatting;

/// <summary>Values JSON cannot carry (non-finite floats, bytes, other CLR numbers); expected output from Python 3.11.</summary>
public sealed class NonJsonValueTests
{
    public static TheoryData<string, object, string> Values => new()
    {
        { "{x:.3f} {x:e} {x:g} {x} {x:010} {x:+} {x:%} {x:E} {x:F} [{x:^9}] {x:,} {x!r} {x!j}", double.PositiveInfinity, "inf inf inf inf 0000000inf +inf inf% INF INF [   inf   ] inf inf Infinity" },
        { "{x:.3f} {x:e} {x:g} {x} {x:010} {x:+} {x:F} {x:G} {x!j}", double.NegativeInfinity, "-inf -inf -inf -inf -000000inf -inf -INF -INF -Infinity" },
        { "{x:.3f} {x:e} {x:g} {x} {x:010} {x:+} {x:F} {x:G} {x:%} {x!j} {x:z}", double.NaN, "nan nan nan nan 0000000nan +nan NAN NAN nan% NaN nan" },
        { "{x:.3f} {x:e} {x:g} {x} {x:010} {x:+} {x:F} {x:G} {x:%} {x!j} {x:z}", -double.NaN, "nan nan nan nan 0000000nan +nan NAN NAN nan% NaN nan" },
        { "{x} {x!r} {x!s} {x!a} [{x!r:>12}] {x[0]} {x[3]}", new byte[] { 0x61, 0x27, 0x09, 0xff, 0x5c, 0x0a, 0x0d, 0x7f, 0x22, 0x20, 0x7e }, "b'a\\'\\t\\xff\\\\\\n\\r\\x7f\" ~' b'a\\'\\t\\xff\\\\\\n\\r\\x7f\" ~' b'a\\'\\t\\xff\\\\\\n\\r\\x7f\" ~' b'a\\'\\t\\xff\\\\\\n\\r\\x7f\" ~' [b'a\\'\\t\\xff\\\\\\n\\r\\x7f\" ~'] 97 255" },
        { "{x}", new byte[] { 0x27 }, "b\"'\"" },
        { "{x}", new byte[] { }, "b''" },
        { "{x} {x:d} {x:x}", 42, "42 42 2a" },
        { "{x} {x:.2f}", 1.5f, "1.5 1.50" },
        { "{x} {x:,}", 18446744073709551615UL, "18446744073709551615 18,446,744,073,709,551,615" },
        { "{x}", 'c', "c" },
        { "{x} {x:,} {x:#x} {x:b}", new BigInteger(long.MinValue), "-9223372036854775808 -9,223,372,036,854,775,808 -0x8000000000000000 -1000000000000000000000000000000000000000000000000000000000000000" },
        { "{x:#b} {x:#o}", BigInteger.Pow(2, 64) - 1, "0b1111111111111111111111111111111111111111111111111111111111111111 0o1777777777777777777777" },
        { "{x:#b} {x:#o} {x:#X}", -BigInteger.Pow(3, 50), "-0b10011000000001010101001111110000110110110010111111010000100111011110001111001001 -0o230012517606662772047361711 -0X980553F0DB2FD09DE3C9" },
        { "{x:o} {x:b}", BigInteger.Zero, "0 0" },
        { "{x} {x:#b} {x:#o} {x:_x}", long.MinValue, "-9223372036854775808 -0b1000000000000000000000000000000000000000000000000000000000000000 -0o1000000000000000000000 -8000_0000_0000_0000" },
        { "{x:e}", BigInteger.Parse("9007199254740993"), "9.007199e+15" },
        { "{x:.0f}", BigInteger.Parse("123456789012345678901234567890"), "123456789012345677877719597056" },
    };

    public static TheoryData<string, object> Failures => new()
    {
        { "{x!j}", new byte[] { 1 } },
        { "{x:>3}", new byte[] { 1 } },
        { "{x!j}", new List<object?> { new byte[] { 1 } } },
        { "{x:e}", BigInteger.Pow(10, 400) },
        { "{x:c}", BigInteger.Pow(10, 40) },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Value_renders_exactly_as_python(string format, object value, string expected) =>
        Assert.Equal(expected, PyFormatter.Instance.Format(format, FormattingData.With("x", value)));

    [Theory]
    [MemberData(nameof(Failures))]
    public void Value_that_python_rejects_throws_a_format_exception(string format, object value) =>
        Assert.Throws<FormatException>(() => PyFormatter.Instance.Format(format, FormattingData.With("x", value)));
}
