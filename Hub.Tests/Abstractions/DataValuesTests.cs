using System.Numerics;
using System.Text;
using Hub.Formatting;
using Hub.Plugins;

namespace Hub.Tests.Abstractions;

public sealed class DataValuesTests
{
    /// <summary>The data as the hub builds it from a JSON payload (the same parser as for every route).</summary>
    private static IReadOnlyDictionary<string, object?> Json(string json) =>
        JsonData.TryParseObject(Encoding.UTF8.GetBytes(json)) ?? throw new InvalidOperationException("not a JSON object: " + json);

    [Fact]
    public void A_json_integer_arrives_as_long_and_reads_as_a_number()
    {
        var data = Json("""{"temperature": 21}""");
        Assert.IsType<long>(data["temperature"]);
        Assert.True(data.TryGetNumber("temperature", out var value));
        Assert.Equal(21.0, value);
    }

    [Fact]
    public void A_json_number_with_a_fraction_or_an_exponent_arrives_as_double_and_reads_as_a_number()
    {
        var data = Json("""{"a": 21.5, "b": -2e1}""");
        Assert.IsType<double>(data["a"]);
        Assert.True(data.TryGetNumber("a", out var a));
        Assert.Equal(21.5, a);
        Assert.True(data.TryGetNumber("b", out var b));
        Assert.Equal(-20.0, b);
    }

    [Fact]
    public void A_json_integer_beyond_64_bits_arrives_as_BigInteger_and_reads_as_a_number()
    {
        var data = Json("""{"big": 123456789012345678901234567890}""");
        Assert.IsType<BigInteger>(data["big"]);
        Assert.True(data.TryGetNumber("big", out var value));
        Assert.Equal(1.2345678901234568e29, value);
    }

    [Fact]
    public void A_json_string_that_is_a_finite_number_in_the_invariant_culture_reads_as_a_number()
    {
        var data = Json("""{"a": "21.5", "b": " -3 ", "c": "1e3"}""");
        Assert.True(data.TryGetNumber("a", out var a));
        Assert.Equal(21.5, a);
        Assert.True(data.TryGetNumber("b", out var b));
        Assert.Equal(-3.0, b);
        Assert.True(data.TryGetNumber("c", out var c));
        Assert.Equal(1000.0, c);
    }

    [Theory]
    [InlineData("""{"x": "warm"}""")]
    [InlineData("""{"x": "21,5"}""")]
    [InlineData("""{"x": "1,000"}""")]
    [InlineData("""{"x": "NaN"}""")]
    [InlineData("""{"x": "Infinity"}""")]
    [InlineData("""{"x": "1e400"}""")]
    [InlineData("""{"x": ""}""")]
    [InlineData("""{"x": true}""")]
    [InlineData("""{"x": null}""")]
    [InlineData("""{"x": [1]}""")]
    [InlineData("""{"x": {"v": 1}}""")]
    [InlineData("""{"y": 1}""")]
    public void Text_that_is_no_finite_number_booleans_null_lists_objects_and_missing_keys_are_not_numbers(string json)
    {
        Assert.False(Json(json).TryGetNumber("x", out var value));
        Assert.Equal(0.0, value);
    }

    [Fact]
    public void The_dotnet_number_types_a_function_or_a_transform_may_put_in_the_data_read_as_numbers()
    {
        object[] numbers = [(int)7, (short)7, (ushort)7, (uint)7, (ulong)7, (byte)7, (sbyte)7, 7L, 7.0, 7.0f, 7m, new BigInteger(7)];
        foreach (var number in numbers)
        {
            Assert.True(DataValues.TryGetNumber(number, out var value), number.GetType().Name);
            Assert.Equal(7.0, value);
        }

        Assert.False(DataValues.TryGetNumber(new byte[] { 7 }, out _));
    }
}
