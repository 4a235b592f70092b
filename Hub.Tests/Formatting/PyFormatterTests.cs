using Hub.Formatting;
using Hub.Plugins;

namespace Hub.Tests.Formatting;

public sealed class PyFormatterTests
{
    private static readonly IReadOnlyDictionary<string, object?> Data = FormattingData.FromJson("""{"name": "temp", "value": 21.5, "w": 1000001}""");

    [Fact]
    public void The_formatter_is_the_plugin_contract_implementation() =>
        Assert.IsAssignableFrom<IDataFormatter>(PyFormatter.Instance);

    [Fact]
    public void Formatting_the_same_string_again_gives_the_same_result()
    {
        var first = PyFormatter.Instance.Format("{name}={value:.2f}", Data);
        var second = PyFormatter.Instance.Format("{name}={value:.2f}", Data);

        Assert.Equal("temp=21.50", first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void A_malformed_format_string_fails_every_time_it_is_used()
    {
        Assert.Throws<FormatException>(() => PyFormatter.Instance.Format("{name", Data));
        var again = Assert.Throws<FormatException>(() => PyFormatter.Instance.Format("{name", Data));
        Assert.Contains("expected '}'", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_key_is_named_in_the_error()
    {
        var error = Assert.Throws<FormatException>(() => PyFormatter.Instance.Format("{nope}", Data));

        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_without_fields_is_returned_as_it_is() =>
        Assert.Equal("plain {text}", PyFormatter.Instance.Format("plain {{text}}", Data));

    [Fact]
    public void More_distinct_format_strings_than_the_cache_holds_still_format_correctly()
    {
        for (var i = 0; i < 3000; i++)
        {
            Assert.Equal($"{i}:temp", PyFormatter.Instance.Format(i + ":{name}", Data));
        }
    }

    [Fact]
    public void Formatting_from_many_threads_at_once_gives_consistent_results()
    {
        var results = new string[2000];

        Parallel.For(0, results.Length, i => results[i] = PyFormatter.Instance.Format("{name}:{value:>8.3f}:" + (i % 50), Data));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal($"temp:  21.500:{i % 50}", results[i]);
        }
    }

    [Theory]
    [InlineData("{value:1000001}")]
    [InlineData("{value:.1000001f}")]
    [InlineData("{value:>{w}}")]
    [InlineData("{value:99999999999999999999}")]
    public void Absurd_widths_and_precisions_are_refused_rather_than_allocated(string format) =>
        Assert.Throws<FormatException>(() => PyFormatter.Instance.Format(format, Data));

    [Fact]
    public void TryFormat_reports_the_failure_as_a_value()
    {
        Assert.True(PyFormatter.Instance.TryFormat("{name}", Data, out var result, out var error));
        Assert.Equal(("temp", null), (result, error));

        Assert.False(PyFormatter.Instance.TryFormat("{value:d}", Data, out result, out error));
        Assert.Equal("", result);
        Assert.Equal("Unknown format code 'd' for object of type 'float'", error);
    }

    [Fact]
    public void Validate_checks_syntax_without_data()
    {
        PyFormatter.Instance.Validate("{a} {b:>{c}} {d!j}");
        Assert.Throws<FormatException>(() => PyFormatter.Instance.Validate("{a:{b:{c}}}"));
        Assert.Throws<FormatException>(() => PyFormatter.Instance.Validate("{a:.q}"));
    }

    [Fact]
    public void Object_data_reaches_the_formatter_through_members_and_indexes()
    {
        var data = FormattingData.With("event", new OrderedDictionary<string, object?>
        {
            ["label"] = "person",
            ["zones"] = new List<object?> { "lawn" },
            ["0"] = "key zero",
        });

        Assert.Equal("person lawn key zero", PyFormatter.Instance.Format("{event.label} {event.zones[0]} {event[0]}", data));
    }
}
