using System.Numerics;
using Hub.Formatting;

namespace Hub.Tests.Formatting;

public sealed class PriorityConverterTests
{
    public static TheoryData<object?, int> Convertible => new()
    {
        { 5L, 5 },
        { -2, -2 },
        { new BigInteger(7), 7 },
        { 3.9, 3 },
        { -3.9, -3 },
        { -0.5, 0 },
        { true, 1 },
        { false, 0 },
        { " 5 ", 5 },
        { "\t42\n", 42 },
        { "+7", 7 },
        { "-12", -12 },
        { "1_000", 1000 },
        { "007", 7 },
        { "٣", 3 },
        { "-2147483648", int.MinValue },
    };

    [Theory]
    [MemberData(nameof(Convertible))]
    public void Value_converts_like_python_int(object? value, int expected)
    {
        Assert.Equal(expected, PriorityConverter.ToPriority(value, out var ok));
        Assert.True(ok);
    }

    public static TheoryData<object?> NotConvertible => new()
    {
        null,
        "",
        " ",
        "1__0",
        "_1",
        "1_",
        "3.5",
        "0x10",
        "+ 5",
        "--5",
        "high",
        "2147483648",
        double.NaN,
        double.PositiveInfinity,
        1e20,
        BigInteger.Pow(10, 30),
        new List<object?>(),
        new byte[] { 0x35 },
    };

    [Theory]
    [MemberData(nameof(NotConvertible))]
    public void Value_that_is_not_an_int_gives_zero_and_not_ok(object? value)
    {
        Assert.Equal(0, PriorityConverter.ToPriority(value, out var ok));
        Assert.False(ok);
    }
}
