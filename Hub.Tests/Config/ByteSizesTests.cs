using Hub.Config.Values;

namespace Hub.Tests.Config;

public sealed class ByteSizesTests
{
    [Theory]
    [InlineData("1048576", 1048576L)]
    [InlineData("512KB", 524288L)]
    [InlineData("64MB", 67108864L)]
    [InlineData("64 mb", 67108864L)]
    [InlineData("1GiB", 1073741824L)]
    [InlineData("2g", 2147483648L)]
    [InlineData("10B", 10L)]
    public void Sizes_parse_in_powers_of_1024(string text, long expected)
    {
        Assert.True(ByteSizes.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("MB")]
    [InlineData("-1")]
    [InlineData("1.5MB")]
    [InlineData("12 parsecs")]
    [InlineData("99999999999999999999")]
    [InlineData("9999999999999GB")]
    public void Anything_else_is_refused(string text) => Assert.False(ByteSizes.TryParse(text, out _));

    [Theory]
    [InlineData(268435456L, "256MB")]
    [InlineData(1536L, "1536")]
    [InlineData(2048L, "2KB")]
    public void Sizes_format_in_the_largest_whole_unit(long bytes, string expected) => Assert.Equal(expected, ByteSizes.Format(bytes));
}
