using Hub.Functions;
using Hub.PluginHost;

namespace Hub.Tests.Functions;

public sealed class FunctionBinderTests : IDisposable
{
    private const string Script = """
        bool Odd(string topic, string payload) => payload.Length % 2 == 1;
        object? Message(IDictionary<string, object?> data) => data["payload"];
        void Ping(HookContext ctx) => ctx.Logger.LogInformation("ping");
        """;

    private readonly FunctionFiles _files = new();

    public FunctionBinderTests() => _files.Script(Script);

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Every_hook_binds_to_its_function_and_sections_without_functions_have_no_entry()
    {
        var config = _files.LoadValid(FunctionFiles.Header + "[a/#]\ntargets = log:info\nfilter = odd()\nformat = Message()\n[b/#]\ntargets = log:info\n[cron]\nping = 5\n");

        var hooks = config.Functions.Sections[config.Sections[0]];
        Assert.Equal("Odd", hooks.Filter!.Name);
        Assert.Equal("Message", hooks.Format!.Name);
        Assert.False(config.Functions.Sections.ContainsKey(config.Sections[1]));
        Assert.Equal("Ping", Assert.Single(config.Functions.Cron).Function.Name);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Functions.Timeout);
    }

    [Fact]
    public void An_undefined_function_is_an_error_at_the_line_that_names_it()
    {
        var (_, errors) = _files.Load(FunctionFiles.Header + "[a/#]\ntargets = log:info\n\ntitle = nosuch()\n");

        var error = Assert.Single(errors);
        Assert.Equal(10, error.Location.Line);
        Assert.Equal("a/#", error.Section);
        Assert.Equal("function nosuch() is not defined (defined: Odd(), Message(), Ping())", error.Message);
    }

    [Fact]
    public void A_function_whose_parameters_do_not_fit_the_hook_is_an_error_with_the_expected_signature()
    {
        var (_, errors) = _files.Load(FunctionFiles.Header + "[a/#]\ntargets = log:info\nfilter = Message()\n");

        var error = Assert.Single(errors);
        Assert.Equal(9, error.Location.Line);
        Assert.Equal("Message() (udf.csx:2) does not fit the filter hook: expected bool F(string topic, string payload[, HookContext ctx])", error.Message);
    }

    [Fact]
    public void A_targets_function_and_a_cron_function_are_checked_at_their_lines()
    {
        var (_, errors) = _files.Load(FunctionFiles.Header + "[a/#]\ntargets = Odd()\n[cron]\nmissing = 5\n");

        Assert.Equal([8, 10], errors.Select(e => e.Location.Line));
        Assert.Contains("does not fit the targets hook", errors[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("function missing() is not defined", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cron_without_a_functions_file_is_an_error_at_its_line()
    {
        var (_, errors) = _files.Load("[cron]\n\nping = 5\n");

        var error = Assert.Single(errors);
        Assert.Equal(3, error.Location.Line);
        Assert.Equal("function ping() is not defined (no user functions are loaded: set functions = udf.csx or udf.py in [defaults])", error.Message);
    }

    [Fact]
    public void Plugin_exports_bind_with_a_logger_as_their_context()
    {
        var result = _files.LoadOnly(FunctionFiles.Header + "[a/#]\ntargets = log:info\nfilter = quiet()\nformat = shout()\n");
        var errors = FunctionBinder.Bind(result.Config!, [typeof(ExportedFunctions).Assembly], _files.Log, publisher: null);

        Assert.Empty(errors);
        var hooks = result.Config!.Functions.Sections[result.Config.Sections[0]];
        Assert.Equal("Quiet", hooks.Filter!.Name);
        Assert.Equal(true, hooks.Filter.Invoke(["t/1", "hush"], hooks.Context, TimeSpan.FromSeconds(30), TimeProvider.System));
        Assert.Contains("quiet() saw t/1", _files.Log.Messages(Microsoft.Extensions.Logging.LogLevel.Information));
    }

    [Fact]
    public void Functions_can_name_an_assembly_whose_exports_are_loaded_in_their_own_context()
    {
        var assembly = typeof(ExportedFunctions).Assembly.Location;
        var config = _files.LoadValid(FunctionFiles.Header.Replace("udf.csx", assembly, StringComparison.Ordinal) + "[a/#]\ntargets = log:info\nformat = shout()\n");

        var format = config.Functions.Sections[config.Sections[0]].Format!;
        Assert.Equal("shout", format.Name);
        var result = format.Invoke([new OrderedDictionary<string, object?> { ["payload"] = "hi" }], config.Functions.Sections[config.Sections[0]].Context, TimeSpan.FromSeconds(30), TimeProvider.System);
        Assert.Equal("HI!", result);
    }
}
