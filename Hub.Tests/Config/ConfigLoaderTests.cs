using Hub.Config;
using static Hub.Tests.Support.ConfigTestLoader;

namespace Hub.Tests.Config;

public sealed class ConfigLoaderTests
{
    [Fact]
    public void Every_error_of_every_layer_is_reported_at_once_and_no_config_is_returned()
    {
        var result = Load("""
            [defaults]
            launch = log, missing
            port = http
            protocol = 6

            [config:log]
            module = plugins/thing.so

            [a/#]
            targets = log:x:y
            qos = 9
            bad line
            """);

        Assert.Null(result.Config);
        Assert.Equal([2, 3, 4, 7, 10, 11, 12], result.Errors.Select(e => e.Location.Line));
    }

    [Fact]
    public void Diagnostics_print_file_line_section_and_message()
    {
        var diagnostic = SingleError(Load("[defaults]\nport = x\n"));

        Assert.Equal($"{FilePath}:2: [defaults] 'port' must be an integer from 1 to 65535, not 'x'", diagnostic.ToString());
    }

    [Fact]
    public void Warnings_are_kept_on_a_loaded_config()
    {
        var result = Load("[defaults]\nfoo = 1\n");

        Assert.True(result.Success);
        Assert.Equal(result.Warnings, result.Config!.Warnings);
        Assert.Contains(result.Config.Warnings, w => w.ToString() == $"{FilePath}:2: warning: [defaults] Unknown key 'foo' in [defaults] is ignored");
    }

    [Fact]
    public void DEFAULT_keys_are_fallbacks_for_every_section_with_a_warning()
    {
        var result = Load("[DEFAULT]\nqos = 1\n[defaults]\nlaunch = log\n[config:log]\n[a/#]\ntargets = log\n[b/#]\ntargets = log\nqos = 2\n");

        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        Assert.Equal([1, 2], result.Config!.Sections.Select(s => s.Qos));
        Assert.Equal(1L, result.Config.Services[0].Options["qos"]);
        AssertWarning(result, 1, "[DEFAULT] keys are fallbacks for every section");
    }

    [Fact]
    public void The_config_knows_its_file_and_directory()
    {
        var config = LoadValid("");

        Assert.Equal((FilePath, ConfigDirectory), (config.FilePath, config.Directory));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\0")]
    [InlineData("[")]
    [InlineData("]")]
    [InlineData("[]")]
    [InlineData("=")]
    [InlineData(":")]
    [InlineData("[s]\n=")]
    [InlineData("[s]\n  \n  x")]
    [InlineData("[defaults]\nlaunch = ,,,")]
    [InlineData("[defaults]\nlaunch = [")]
    [InlineData("[defaults]\nhostname = $ENV:")]
    [InlineData("[defaults]\nhostname = ${ENV:}")]
    [InlineData("[defaults]\nhostname = ${ENV:a=b}")]
    [InlineData("[defaults]\nhostname = ${FILE:\0}")]
    [InlineData("[defaults]\nhostname = $FILE:/")]
    [InlineData("[config:]\n[config:]")]
    [InlineData("[defaults]\nlaunch = x\n[config:x]\ntargets = {'a': [")]
    [InlineData("[cron]\nx = ;;;")]
    [InlineData("[x]\ntargets = {'':''}")]
    [InlineData("[x]\ntargets = ::")]
    [InlineData("[x]\ntargets = '")]
    public void Odd_input_gives_diagnostics_never_an_exception(string text)
    {
        var result = ConfigLoader.LoadText(text, FilePath);

        Assert.DoesNotContain(result.Errors, e => e.Message.StartsWith("Internal error", StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_or_odd_path_does_not_throw()
    {
        Assert.NotNull(ConfigLoader.LoadText("[defaults]\n", "").Diagnostics);
        Assert.False(ConfigLoader.Load("").Success);
        Assert.False(ConfigLoader.Load("\0bad").Success);
    }
}
