using Hub.Config.Values;

namespace Hub.Tests.Config.Values;

public sealed class ConfigValuesTests
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(1L, true)]
    [InlineData(0L, false)]
    [InlineData("yes", true)]
    [InlineData("On", true)]
    [InlineData("Y", true)]
    [InlineData("t", true)]
    [InlineData("1", true)]
    [InlineData("TRUE", true)]
    [InlineData("no", false)]
    [InlineData("OFF", false)]
    [InlineData("n", false)]
    [InlineData("f", false)]
    [InlineData("0", false)]
    [InlineData("False", false)]
    public void Booleans_accept_literals_numbers_zero_and_one_and_words(object value, bool expected)
    {
        Assert.True(ConfigValues.TryToBool(value, out var result));
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData(2L)]
    [InlineData(1.0)]
    [InlineData(null)]
    public void Other_values_are_not_booleans(object? value) => Assert.False(ConfigValues.TryToBool(value, out _));

    [Theory]
    [InlineData(5L, 5)]
    [InlineData(" 42 ", 42)]
    [InlineData("-3", -3)]
    public void Integers_accept_int_literals_and_integer_text(object value, int expected)
    {
        Assert.True(ConfigValues.TryToInt(value, out var result));
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("4.5")]
    [InlineData(4.5)]
    [InlineData(true)]
    [InlineData("x")]
    [InlineData(3_000_000_000L)]
    public void Other_values_are_not_integers(object value) => Assert.False(ConfigValues.TryToInt(value, out _));

    [Theory]
    [InlineData(1.5, 1.5)]
    [InlineData(2L, 2.0)]
    [InlineData("0.25", 0.25)]
    public void Numbers_accept_ints_floats_and_numeric_text(object value, double expected)
    {
        Assert.True(ConfigValues.TryToDouble(value, out var result));
        Assert.Equal(expected, result);
    }

    [Fact]
    public void A_string_option_is_the_string_value_none_is_unset_and_other_literals_keep_their_source_text()
    {
        Assert.Equal("abc", ConfigValues.ToText("abc", "'abc'"));
        Assert.Null(ConfigValues.ToText(null, "None"));
        Assert.Equal("0x10", ConfigValues.ToText(16L, " 0x10 "));
        Assert.Equal("[1, 2]", ConfigValues.ToText(new List<object?> { 1L, 2L }, "[1, 2]"));
    }

    [Fact]
    public void A_list_option_accepts_a_list_literal_or_comma_text_without_empty_items()
    {
        Assert.True(ConfigValues.TryToStringList(new List<object?> { "a", "b" }, "['a', 'b']", out var fromLiteral));
        Assert.Equal(["a", "b"], fromLiteral);

        Assert.True(ConfigValues.TryToStringList("a, b,, c ,", "a, b,, c ,", out var fromText));
        Assert.Equal(["a", "b", "c"], fromText);

        Assert.False(ConfigValues.TryToStringList(new List<object?> { "a", 1L }, "['a', 1]", out _));
    }
}
