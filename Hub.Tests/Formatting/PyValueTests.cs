using System.Numerics;
using Hub.Formatting;

namespace Hub.Tests.Formatting;

public sealed class PyValueTests
{
    public static TheoryData<object?, string> Reprs => new()
    {
        { null, "None" },
        { true, "True" },
        { false, "False" },
        { 42L, "42" },
        { -7, "-7" },
        { BigInteger.Parse("-123456789012345678901234567890"), "-123456789012345678901234567890" },
        { 21.5, "21.5" },
        { 1.0, "1.0" },
        { -0.0, "-0.0" },
        { 1e16, "1e+16" },
        { 1e22, "1e+22" },
        { 1e-4, "0.0001" },
        { 1e-5, "1e-05" },
        { 123456789012345678.0, "1.2345678901234568e+17" },
        { 0.1 + 0.2, "0.30000000000000004" },
        { double.NaN, "nan" },
        { double.NegativeInfinity, "-inf" },
        { "it's", "\"it's\"" },
        { "both ' and \"", "'both \\' and \"'" },
        { "\\", "'\\\\'" },
        { "a\u0000\u001f\u007f\u0080\u00a0\u00ad\u0378\U000E0001\ud800", "'a\\x00\\x1f\\x7f\\x80\\xa0\\xad\\u0378\\U000e0001\\ud800'" },
        { "Räuber ⚽ 😀", "'Räuber ⚽ 😀'" },
        { new byte[] { 0x78, 0x27, 0x00 }, "b\"x'\\x00\"" },
        { new List<object?> { 1L, "x", null, new List<object?>() }, "[1, 'x', None, []]" },
        { new OrderedDictionary<string, object?> { ["b"] = new byte[] { 0x78 }, ["a"] = new OrderedDictionary<string, object?>() }, "{'b': b'x', 'a': {}}" },
    };

    [Theory]
    [MemberData(nameof(Reprs))]
    public void Repr_matches_python(object? value, string expected) => Assert.Equal(expected, PyValue.Repr(value));

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("it's", "it's")]
    public void Str_of_text_is_the_text_itself(string value, string expected) => Assert.Equal(expected, PyValue.Str(value));

    [Fact]
    public void Str_of_other_values_is_their_repr() =>
        Assert.Equal("[1.0, 'a'] None", PyValue.Str(new List<object?> { 1.0, "a" }) + " " + PyValue.Str(null));

    [Theory]
    [InlineData("é😀\u2028", "'\\xe9\\U0001f600\\u2028'")]
    [InlineData("plain", "'plain'")]
    public void Ascii_escapes_every_non_ascii_character(string value, string expected) =>
        Assert.Equal(expected, PyValue.Ascii(value));

    [Fact]
    public void Ascii_escapes_text_nested_in_containers() =>
        Assert.Equal("{'\\xe9': ['\\u26bd']}", PyValue.Ascii(new OrderedDictionary<string, object?> { ["é"] = new List<object?> { "⚽" } }));

    public static TheoryData<object?, string> Jsons => new()
    {
        { null, "null" },
        { true, "true" },
        { 5L, "5" },
        { BigInteger.Pow(10, 25), "10000000000000000000000000" },
        { 1e16, "1e+16" },
        { -0.0, "-0.0" },
        { 1e-7, "1e-07" },
        { double.NaN, "NaN" },
        { double.PositiveInfinity, "Infinity" },
        { double.NegativeInfinity, "-Infinity" },
        { "a\"b\\c/d\n\r\t\b\f\u0001\u001f", "\"a\\\"b\\\\c/d\\n\\r\\t\\b\\f\\u0001\\u001f\"" },
        { "😀\u007fé\ud800", "\"\\ud83d\\ude00\\u007f\\u00e9\\ud800\"" },
        { new List<object?>(), "[]" },
        { new OrderedDictionary<string, object?>(), "{}" },
        { new List<object?> { new List<object?>() }, "[[]]" },
        {
            new OrderedDictionary<string, object?> { ["k"] = new List<object?> { "😀", 1.0, null }, ["n"] = new OrderedDictionary<string, object?> { ["x"] = false } },
            "{\"k\": [\"\\ud83d\\ude00\", 1.0, null], \"n\": {\"x\": false}}"
        },
    };

    [Theory]
    [MemberData(nameof(Jsons))]
    public void Json_matches_python_json_dumps_defaults(object? value, string expected) => Assert.Equal(expected, PyValue.Json(value));

    [Fact]
    public void Json_of_bytes_is_an_error() =>
        Assert.Throws<FormatException>(() => PyValue.Json(new List<object?> { new byte[] { 1 } }));

    [Theory]
    [InlineData("line1\\nline2", "line1\nline2")]
    [InlineData("a\\\\nb", "a\\\nb")]
    [InlineData("no escapes", "no escapes")]
    [InlineData("\\n\\n", "\n\n")]
    [InlineData("\\t stays", "\\t stays")]
    public void ExpandNewlines_turns_backslash_n_into_a_newline(string text, string expected) =>
        Assert.Equal(expected, PyValue.ExpandNewlines(text));
}
