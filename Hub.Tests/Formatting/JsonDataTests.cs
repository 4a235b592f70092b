using System.Numerics;
using System.Text;
using Hub.Formatting;

namespace Hub.Tests.Formatting;

public sealed class JsonDataTests
{
    private static IReadOnlyDictionary<string, object?>? Parse(string json) => JsonData.TryParseObject(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Numbers_keep_their_kind()
    {
        var data = Parse("""{"a": -0, "b": -0.0, "c": 1E2, "d": 1e400, "e": 12345678901234567890, "f": 9223372036854775807, "g": -9223372036854775808, "h": 9223372036854775808, "i": 1.5}""")!;

        Assert.Equal(0L, Assert.IsType<long>(data["a"]));
        Assert.True(double.IsNegative(Assert.IsType<double>(data["b"])));
        Assert.Equal(100.0, Assert.IsType<double>(data["c"]));
        Assert.Equal(double.PositiveInfinity, Assert.IsType<double>(data["d"]));
        Assert.Equal(BigInteger.Parse("12345678901234567890"), Assert.IsType<BigInteger>(data["e"]));
        Assert.Equal(long.MaxValue, Assert.IsType<long>(data["f"]));
        Assert.Equal(long.MinValue, Assert.IsType<long>(data["g"]));
        Assert.Equal(BigInteger.Parse("9223372036854775808"), Assert.IsType<BigInteger>(data["h"]));
        Assert.Equal(1.5, Assert.IsType<double>(data["i"]));
    }

    [Fact]
    public void Literals_and_nested_values_become_data_values()
    {
        var data = Parse("""{"t": true, "f": false, "n": null, "s": "R\u00e4uber \ud83d\ude00", "o": {"b": 1, "a": [1, "x", [], {}]}}""")!;

        Assert.Equal(true, data["t"]);
        Assert.Equal(false, data["f"]);
        Assert.Null(data["n"]);
        Assert.Equal("Räuber 😀", data["s"]);
        var nested = Assert.IsType<OrderedDictionary<string, object?>>(data["o"]);
        Assert.Equal(["b", "a"], nested.Keys);
        var list = Assert.IsType<List<object?>>(nested["a"]);
        Assert.Equal(4, list.Count);
        Assert.Equal("{'t': True, 'f': False, 'n': None, 's': 'Räuber 😀', 'o': {'b': 1, 'a': [1, 'x', [], {}]}}", PyValue.Repr(data));
    }

    [Fact]
    public void Keys_keep_their_order_and_a_duplicate_key_keeps_the_first_position_with_the_last_value()
    {
        var data = Parse("""{"z": 1, "a": 2, "z": 3}""")!;

        Assert.Equal("{'z': 3, 'a': 2}", PyValue.Repr(data));
    }

    [Fact]
    public void Lone_surrogate_escapes_are_kept_as_python_keeps_them()
    {
        var data = Parse("""{"a": "x\ud83d\n", "b": "\ud83d\ude00", "\udc00": "\u00e9\/\"\\"}""")!;

        Assert.Equal("x\ud83d\n", data["a"]);
        Assert.Equal("😀", data["b"]);
        Assert.Equal("é/\"\\", data["\udc00"]);
        Assert.Equal("{'a': 'x\\ud83d\\n', 'b': '😀', '\\udc00': 'é/\"\\\\'}", PyValue.Repr(data));
    }

    [Fact]
    public void Trailing_nuls_are_removed_before_parsing()
    {
        var payload = Encoding.UTF8.GetBytes("{\"a\": 1}\0\0\0");

        Assert.Equal(1L, JsonData.TryParseObject(payload)!["a"]);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{\"a\": NaN}")]
    [InlineData("{\"a\": Infinity}")]
    [InlineData("{\"a\": -Infinity}")]
    [InlineData("{\"a\": 1,}")]
    [InlineData("{'a': 1}")]
    [InlineData("{\"a\": 1} {\"b\": 2}")]
    [InlineData("{\"a\": 1} x")]
    [InlineData("{\"a\": 1 /* c */}")]
    [InlineData("{\"a\": 01}")]
    [InlineData("{\"a\": \"tab\tinside\"}")]
    [InlineData("{\"a\": [1, 2}")]
    [InlineData("{\"a\"")]
    [InlineData("\uFEFF{\"a\": 1}")]
    [InlineData("{\"a\": 1}\0x")]
    public void Payload_that_is_not_a_json_object_gives_null(string json) => Assert.Null(Parse(json));

    [Fact]
    public void Whitespace_around_the_object_is_allowed() => Assert.NotNull(Parse(" \r\n\t{\"a\": 1} \n"));

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D })]
    [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D })]
    [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x22, 0x7D })]
    public void Invalid_utf8_gives_null(byte[] payload) => Assert.Null(JsonData.TryParseObject(payload));

    [Fact]
    public void Nesting_ten_thousand_deep_gives_null_without_crashing()
    {
        var json = "{\"a\": " + new string('[', 10_000) + new string(']', 10_000) + "}";

        Assert.Null(Parse(json));
        Assert.Null(Parse(new string('{', 10_000)));
    }

    [Fact]
    public void Nesting_within_the_limit_is_parsed()
    {
        var depth = JsonData.MaxDepth - 1;
        var json = "{\"a\": " + new string('[', depth - 1) + new string(']', depth - 1) + "}";

        Assert.NotNull(Parse(json));
    }

    [Fact]
    public void Integers_longer_than_python_accepts_give_null()
    {
        Assert.NotNull(Parse("{\"a\": " + new string('9', 4300) + "}"));
        Assert.Null(Parse("{\"a\": " + new string('9', 4301) + "}"));
    }

    [Fact]
    public void The_reason_is_reported_when_the_payload_is_not_an_object()
    {
        Assert.Null(JsonData.TryParseObject("[1]"u8, out var error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.NotNull(JsonData.TryParseObject("{}"u8, out error));
        Assert.Null(error);
    }
}
