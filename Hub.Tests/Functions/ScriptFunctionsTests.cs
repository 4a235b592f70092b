using Hub.Config;

namespace Hub.Tests.Functions;

public sealed class ScriptFunctionsTests : IDisposable
{
    private readonly FunctionFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void The_scripts_top_level_methods_become_functions_and_its_statements_run_once()
    {
        _files.Script("""
            var prefix = "room-";
            string Room(IDictionary<string, object?> data) => prefix + data["topic"];
            static bool Never(string topic, string payload) => false;
            """);
        var config = _files.LoadOnly(FunctionFiles.Header).Config!;

        var functions = config.Script!.Functions;
        Assert.Equal(["Room", "Never"], functions.Select(f => f.Name));
        Assert.Equal(["udf.csx:2", "udf.csx:3"], functions.Select(f => f.Origin));
        var room = functions[0];
        Assert.Equal("room-a/b", room.Method.Invoke(room.Target, [new Dictionary<string, object?> { ["topic"] = "a/b" }]));
    }

    [Fact]
    public void Compile_errors_are_reported_at_the_scripts_file_and_line()
    {
        _files.Script("""
            // helpers
            bool Ok(string topic, string payload) => false;

            bool Broken(string topic, string payload) => undefinedName;
            """);
        var result = _files.LoadOnly(FunctionFiles.Header);

        var error = Assert.Single(result.Errors);
        Assert.Equal(Path.Combine(_files.Directory, "udf.csx"), error.Location.File);
        Assert.Equal(4, error.Location.Line);
        Assert.Contains("CS0103: The name 'undefinedName' does not exist in the current context", error.Message, StringComparison.Ordinal);
        Assert.Matches(@"udf\.csx:4: CS0103", error.ToString());
    }

    [Fact]
    public void An_exception_in_the_scripts_top_level_code_is_an_error()
    {
        _files.Script("throw new InvalidOperationException(\"no config\");\nbool F(string t, string p) => false;\n");

        var error = Assert.Single(_files.LoadOnly(FunctionFiles.Header).Errors);
        Assert.Contains("running the script's top-level code failed: InvalidOperationException: no config", error.Message, StringComparison.Ordinal);
    }
}
