using System.ComponentModel.DataAnnotations;
using Hub.PluginHost.Options;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.PluginHost.Options;

public sealed class OptionsBinderTests
{
    public enum Mode { Append, WarnOnly }

    public sealed class SomeOptions : IValidatableOptions
    {
        [Option(Description = "The port")]
        [Range(1, 65535)]
        public int Port { get; set; } = 8080;

        public bool Verbose { get; set; }

        public double Ratio { get; set; } = 0.5;

        public string? Name { get; set; }

        public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

        public Mode Mode { get; set; }

        public IReadOnlyList<string> Tags { get; set; } = [];

        public List<int> Levels { get; set; } = [];

        [Option("url")]
        public string Endpoint { get; set; } = "http://localhost";

        public int Min { get; set; }

        public int Max { get; set; } = 10;

        public IEnumerable<OptionProblem> Validate()
        {
            if (Min > Max)
            {
                yield return new OptionProblem("min", "must not be greater than max");
            }
        }
    }

    public sealed class RequiredOptions
    {
        public required string Token { get; set; }

        [Option(Required = true, Description = "where to send")]
        public string Url { get; set; } = "";
    }

    private static (SomeOptions Options, IReadOnlyList<OptionDiagnostic> Diagnostics) Bind(params (string Key, object? Value)[] values)
    {
        var (options, diagnostics) = OptionsBinder.Bind(OptionsSchema.For(typeof(SomeOptions)), Some.Dict(values));
        return ((SomeOptions)options, diagnostics);
    }

    [Fact]
    public void Keys_are_the_property_names_in_snake_case_unless_the_attribute_names_one() =>
        Assert.Equal(["port", "verbose", "ratio", "name", "interval", "mode", "tags", "levels", "url", "min", "max"],
            OptionsSchema.For(typeof(SomeOptions)).Options.Select(o => o.Key));

    [Fact]
    public void Defaults_are_the_property_initializers()
    {
        var schema = OptionsSchema.For(typeof(SomeOptions));
        Assert.Equal("8080", schema.Find("port")!.DefaultText);
        Assert.Equal("False", schema.Find("verbose")!.DefaultText);
        Assert.Equal("30", schema.Find("interval")!.DefaultText);
        Assert.Equal("'append'", schema.Find("mode")!.DefaultText);
        Assert.Equal("'http://localhost'", schema.Find("url")!.DefaultText);
        Assert.Equal("None", schema.Find("name")!.DefaultText);
        Assert.Equal("The port", schema.Find("port")!.Description);
    }

    [Fact]
    public void Values_are_converted_to_the_property_types()
    {
        var (options, diagnostics) = Bind(("port", 1883L), ("verbose", "yes"), ("ratio", 2L), ("name", 42L), ("interval", 1.5),
            ("mode", "warn_only"), ("tags", "a, b,,c"), ("levels", Some.List(1L, "2")), ("url", "http://x"));
        Assert.Empty(diagnostics);
        Assert.Equal(1883, options.Port);
        Assert.True(options.Verbose);
        Assert.Equal(2.0, options.Ratio);
        Assert.Equal("42", options.Name);
        Assert.Equal(TimeSpan.FromSeconds(1.5), options.Interval);
        Assert.Equal(Mode.WarnOnly, options.Mode);
        Assert.Equal(["a", "b", "c"], options.Tags);
        Assert.Equal([1, 2], options.Levels);
        Assert.Equal("http://x", options.Endpoint);
    }

    [Fact]
    public void None_leaves_the_default()
    {
        var (options, diagnostics) = Bind(("port", null));
        Assert.Empty(diagnostics);
        Assert.Equal(8080, options.Port);
    }

    [Fact]
    public void Every_conversion_error_is_reported_with_its_key()
    {
        var (_, diagnostics) = Bind(("port", "eighty"), ("verbose", "maybe"), ("mode", "loud"), ("levels", Some.List("x")));
        Assert.Equal(
            [
                "option 'port': must be an integer, not 'eighty'",
                "option 'verbose': must be a boolean (True or False), not 'maybe'",
                "option 'mode': must be one of append, warn_only, not 'loud'",
                "option 'levels': item 1 must be an integer, not 'x'",
            ],
            diagnostics.Select(d => d.ToString()));
        Assert.All(diagnostics, d => Assert.True(d.IsError));
    }

    [Fact]
    public void Unknown_keys_are_warnings_and_host_keys_are_not_unknown()
    {
        var (_, diagnostics) = Bind(("prot", 1L), ("decode_utf8", false));
        var warning = Assert.Single(diagnostics);
        Assert.False(warning.IsError);
        Assert.Equal("prot", warning.Key);
        Assert.Contains("known options: port, verbose", warning.Message);
    }

    [Fact]
    public void Data_annotations_and_the_options_own_validation_are_reported_at_their_keys()
    {
        var (_, diagnostics) = Bind(("port", 0L), ("min", 5L), ("max", 1L));
        Assert.Contains(diagnostics, d => d.Key == "port" && d.Message.Contains("between 1 and 65535"));
        Assert.Contains(diagnostics, d => d.Key == "min" && d.Message == "must not be greater than max");
    }

    [Fact]
    public void Required_options_must_be_present()
    {
        var (_, diagnostics) = OptionsBinder.Bind(OptionsSchema.For(typeof(RequiredOptions)), Some.Dict());
        Assert.Equal(["option 'token' is required", "option 'url' is required (where to send)"], diagnostics.Select(d => d.Message));
    }
}
