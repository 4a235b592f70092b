using System.Globalization;
using Hub.Tests.Support;

namespace Hub.Tests.Graph;

/// <summary>
/// What <c>hub check</c> accepts, <c>hub run</c> starts; what it refuses, run refuses with the same lines: each INI of a
/// table goes through both, as real processes, and both must print the same <c>FILE:LINE</c> diagnostics.
/// </summary>
public sealed class CheckRunParityTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();
    private readonly string _plugins;

    public CheckRunParityTests() => _plugins = GraphPlugins.Install(_temp.Path, ["Log", "File", "Smtp", "Http", "Execute", "Irccat"], "FixtureBroken", "FixtureBinder");

    public void Dispose() => _temp.Dispose();

    /// <summary>Broken files: name, the sections after [defaults] (launch = log, file), the lines expected in error.</summary>
    public static TheoryData<string, string, string, int[]> Broken => new()
    {
        { "ini literal", "", "port = eighty", [4] },
        { "unknown loglevel", "", "loglevel = CHATTY", [4] },
        { "plugin option", "[config:file]\nappend_newline = maybe\ntargets = { 'out': ['out.log'] }", "", [8] },
        { "delivery policy", "[config:file]\nretries = many\nrate = often\ntargets = { 'out': ['out.log'] }", "", [8, 9] },
        { "service setting", "[config:file]\nplugin_timeout = -1\ntargets = { 'out': ['out.log'] }", "", [8] },
        { "descriptor shape", "[config:file]\ntargets = { 'out': ['out.log'],\n  'bad': 42 }", "", [9] },
        { "topic filters", "[a/#/b]\ntargets = log:info\n\n[c]\ntopic = c/d#\ntargets = log:info", "", [7, 11] },
        { "unknown stage", "[a/#]\nstages = nosuch\ntargets = log:info", "", [7] },
        { "user function script", "[a/#]\nfilter = keep()\ntargets = log:info", "functions = 'udf.csx'", [0] },
        // Each family of built-in binders (ITargetBinder), and a third-party one: the shape is refused when the graph is built.
        { "smtp target that is a text", "[config:smtp]\nsender = 'hub@example.org'\ntargets = { 'ops': 'ops@example.org' }", "", [9] },
        { "http target without a url", "[config:http]\ntargets = { 'hook': ['post'] }", "", [8] },
        { "execute target without a program", "[config:execute]\ntargets = { 'run': [] }", "", [8] },
        { "irccat target without port and channel", "[config:irccat]\ntargets = { 'ops': ['127.0.0.1'] }", "", [8] },
        { "log target of an unknown level", "[config:log]\ntargets = { 'info': ['chatty'] }", "", [8] },
        { "third-party binder", "[config:counted]\nmodule = fixture_binder\ntargets = { 'a': ['a.log'],\n  'b': 42 }", "", [10] },
        { "plugin that cannot load", "[config:broken]\nmodule = fixture_broken\ntargets = { 'x': [] }", "", [7] },
        { "all at once", "[config:file]\nretries = many\ntargets = { 'out': 42 }\n\n[a/#/b]\ntargets = file:out", "loglevel = CHATTY", [4, 8, 9, 11] },
    };

    /// <summary>Valid files with warnings: both print the same warnings, check exits 0 and run starts.</summary>
    public static TheoryData<string, string, string> Valid => new()
    {
        { "format that can never work", "[a/#]\ntargets = log:info\nformat = {temperature:.1q}\ntitle = {x!z}", "" },
        { "unknown key", "[a/#]\ntargets = log:info", "colour = blue" },
        { "nothing to say", "[a/#]\ntargets = log:info", "" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task A_broken_configuration_is_refused_by_check_and_run_with_the_same_errors(string name, string sections, string defaults, int[] lines)
    {
        var path = Write(name, sections, defaults);

        var (checkCode, checkOutput) = await HubProcess.RunAsync(_temp.Path, "check", "--config", path);
        var (runCode, runOutput) = await HubProcess.RunAsync(_temp.Path, "run", "--config", path);

        Assert.True(checkCode == 2, $"hub check exited {checkCode}:\n{checkOutput}");
        Assert.True(runCode == 2, $"hub run exited {runCode}:\n{runOutput}");
        var errors = Diagnostics(checkOutput, path, warnings: false);
        Assert.NotEmpty(errors);
        Assert.Equal(errors, Diagnostics(runOutput, path, warnings: false));
        foreach (var line in lines.Where(l => l > 0))
        {
            Assert.Contains(errors, e => e.StartsWith($"{path}:{line.ToString(CultureInfo.InvariantCulture)}: ", StringComparison.Ordinal));
        }

        Assert.DoesNotContain("   at ", checkOutput + runOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public async Task A_valid_configuration_passes_check_and_starts_under_run_with_the_same_warnings(string name, string sections, string defaults)
    {
        var path = Write(name, sections, defaults);

        var (checkCode, checkOutput) = await HubProcess.RunAsync(_temp.Path, "check", "--config", path);
        await using var run = HubProcess.Start(_temp.Path, "run", "--config", path);
        await run.WaitForLineAsync("Starting hub", Wait);
        run.Terminate();
        Assert.Equal(0, await run.WaitForExitAsync(Wait));

        Assert.True(checkCode == 0, $"hub check exited {checkCode}:\n{checkOutput}");
        var warnings = Diagnostics(checkOutput, path, warnings: true);
        Assert.Equal(warnings, Diagnostics(run.Output, path, warnings: true));
        // The broken fixture plugin sits in the plugin directory, unused: always one warning about it.
        Assert.Contains(warnings, w => w.Contains("warning: plugin not loaded: ", StringComparison.Ordinal));
    }

    private string Write(string name, string sections, string defaults)
    {
        var ini = $$"""
            [defaults]
            plugins = '{{_plugins}}'
            launch = log, file{{Launched(sections)}}
            {{(defaults.Length == 0 ? "hostname = '127.0.0.1'" : defaults)}}
            port = {{Loopback.ClosedPort().ToString(CultureInfo.InvariantCulture)}}

            {{sections}}

            {{(sections.Contains("[config:log]", StringComparison.Ordinal) ? "" : "[config:log]\ntargets = { 'info': ['info'] }")}}
            {{(sections.Contains("[config:file]", StringComparison.Ordinal) ? "" : "\n[config:file]\ntargets = { 'out': ['out.log'] }")}}
            """;
        // Line 4 is the row's own [defaults] line; a later 'port' would repeat a 'port = eighty' row: drop it then.
        if (defaults.StartsWith("port", StringComparison.Ordinal))
        {
            ini = string.Join('\n', ini.Split('\n').Where((l, i) => i != 4));
        }

        if (defaults.Contains("udf.csx", StringComparison.Ordinal))
        {
            _temp.Write("udf.csx", "bool keep(string topic, string payload) => undefinedName;\n");
        }

        return _temp.Write(name.Replace(' ', '-') + ".ini", ini);
    }

    /// <summary>The services of the row's own sections besides log and file, for <c>launch</c>.</summary>
    private static string Launched(string sections) =>
        string.Concat(System.Text.RegularExpressions.Regex.Matches(sections, @"\[config:(\w+)\]")
            .Select(m => m.Groups[1].Value).Where(n => n is not ("log" or "file")).Select(n => ", " + n));

    /// <summary>The diagnostic lines about the file (and the files it names), as printed: errors or warnings.</summary>
    private static List<string> Diagnostics(string output, string path, bool warnings) =>
        output.Split('\n')
            .Where(l => l.StartsWith(path, StringComparison.Ordinal) || l.StartsWith(Path.Combine(Path.GetDirectoryName(path)!, "udf.csx"), StringComparison.Ordinal))
            .Where(l => l.Contains(": warning: ", StringComparison.Ordinal) == warnings)
            .ToList();
}
