using Hub.Functions;
using Hub.Tests.Support;

namespace Hub.Tests.Functions;

/// <summary>
/// A compiled <c>udf.csx</c> is cached on disk: an unchanged script is loaded without compiling, a changed
/// one is compiled again, and broken cache files are ignored and rewritten.
/// </summary>
public sealed class ScriptCacheTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ScriptCache _cache;
    // Each test's scripts are its own: other classes loading scripts in parallel never share an entry.
    private readonly string _unique = Guid.NewGuid().ToString("N");

    public ScriptCacheTests() => _cache = new ScriptCache(_temp.File("cache"));

    public void Dispose() => _temp.Dispose();

    private string Write(string code) => _temp.Write("udf.csx", $"// {_unique}\n{code}");

    private ScriptFunctions Load(string path)
    {
        var problems = new List<(int Line, string Message)>();
        var script = ScriptFunctions.Load(path, problems, _cache);
        Assert.True(script is not null, string.Join("\n", problems));
        return script!;
    }

    private static object? Call(ScriptFunctions script, string name, params object?[] arguments)
    {
        var function = script.Functions.Single(f => f.Name == name);
        return function.Method.Invoke(function.Target, arguments);
    }

    private string[] Entries(string extension) => Directory.GetFiles(_cache.Directory, "*." + extension);

    [Fact]
    public void An_unchanged_script_is_loaded_from_the_cache_without_compiling_and_its_top_level_code_still_runs()
    {
        var path = Write("var prefix = \"room-\";\nstring Room(string topic) => prefix + topic;\nstatic int Twice(int x) => 2 * x;\n");

        var first = Load(path);
        var second = Load(path);

        Assert.True(first.Compiled);
        Assert.False(second.Compiled);
        Assert.Equal("room-a", Call(second, "Room", "a"));
        Assert.Equal(6, Call(second, "Twice", 3));
        Assert.Equal(first.Functions.Select(f => (f.Name, f.Origin)), second.Functions.Select(f => (f.Name, f.Origin)));
        Assert.Equal(["udf.csx:3", "udf.csx:4"], second.Functions.Select(f => f.Origin));
        Assert.Single(Entries("dll"));
    }

    [Fact]
    public void A_changed_script_is_compiled_again()
    {
        var path = Write("string F(string topic) => \"one\";\n");
        Assert.True(Load(path).Compiled);

        Write("string F(string topic) => \"two\";\n");
        var changed = Load(path);

        Assert.True(changed.Compiled);
        Assert.Equal("two", Call(changed, "F", "t"));
        Assert.False(Load(path).Compiled);
        Assert.Equal(2, Entries("dll").Length);
    }

    [Theory]
    [InlineData("truncated image")]
    [InlineData("garbage image")]
    [InlineData("garbage description")]
    [InlineData("missing image")]
    [InlineData("description naming another method")]
    public void A_corrupted_cache_entry_is_ignored_compiled_again_and_rewritten(string damage)
    {
        var path = Write("string F(string topic) => \"ok\";\n");
        Assert.True(Load(path).Compiled);
        var image = Assert.Single(Entries("dll"));
        var description = Assert.Single(Entries("txt"));
        switch (damage)
        {
            case "truncated image":
                File.WriteAllBytes(image, File.ReadAllBytes(image)[..100]);
                break;
            case "garbage image":
                File.WriteAllBytes(image, new byte[4096]);
                break;
            case "garbage description":
                File.WriteAllText(description, "\0\0not a description");
                break;
            case "missing image":
                File.Delete(image);
                break;
            default:
                File.WriteAllText(description, File.ReadAllText(description).Replace("function\tF\t", "function\tG\t", StringComparison.Ordinal).Replace("<Factory>", "Nope", StringComparison.Ordinal));
                break;
        }

        var repaired = Load(path);

        Assert.True(repaired.Compiled);
        Assert.Equal("ok", Call(repaired, "F", "t"));
        Assert.False(Load(path).Compiled);
    }

    [Fact]
    public void A_script_with_compile_errors_is_not_cached_and_reports_its_errors_every_time()
    {
        var path = Write("bool Broken(string topic, string payload) => undefinedName;\n");
        for (var i = 0; i < 2; i++)
        {
            var problems = new List<(int Line, string Message)>();
            Assert.Null(ScriptFunctions.Load(path, problems, _cache));
            Assert.Contains(problems, p => p.Line == 2 && p.Message.StartsWith("CS0103", StringComparison.Ordinal));
        }

        Assert.False(Directory.Exists(_cache.Directory) && Entries("dll").Length > 0);
    }

    [Fact]
    public void A_script_that_loads_other_files_is_always_compiled()
    {
        _temp.Write("helpers.csx", "static string Shout(string s) => s.ToUpperInvariant();\n");
        var path = Write("#load \"helpers.csx\"\nstring F(string topic) => Shout(topic);\n");

        Assert.True(Load(path).Compiled);
        var again = Load(path);

        Assert.True(again.Compiled);
        Assert.Equal("T", Call(again, "F", "t"));
    }

    [Fact]
    public void A_cache_that_cannot_be_written_only_costs_a_compilation()
    {
        var blocked = new ScriptCache(_temp.Write("not-a-directory", "a file where the cache folder should be"));
        var path = Write("string F(string topic) => \"ok\";\n");
        for (var i = 0; i < 2; i++)
        {
            var problems = new List<(int Line, string Message)>();
            var script = ScriptFunctions.Load(path, problems, blocked);
            Assert.True(script is { Compiled: true }, string.Join("\n", problems));
        }
    }

    [Fact]
    public void Loading_a_configuration_uses_the_cache_in_XDG_CACHE_HOME()
    {
        using var files = new FunctionFiles();
        files.Script($"// {_unique}\nbool Odd(string topic, string payload) => payload.Length % 2 == 1;\n");

        var first = files.LoadOnly(FunctionFiles.Header).Config!.Script!;
        var second = files.LoadOnly(FunctionFiles.Header).Config!.Script!;

        Assert.True(first.Compiled);
        Assert.False(second.Compiled);
        Assert.Equal(Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME")!, "hub", "scripts"), ScriptCache.Default()!.Directory);
        Assert.NotEmpty(Directory.GetFiles(ScriptCache.Default()!.Directory, "*.dll"));
    }
}
