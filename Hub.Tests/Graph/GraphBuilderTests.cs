using Hub.Graph;
using Hub.Tests.Support;

namespace Hub.Tests.Graph;

public sealed class GraphBuilderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Plugins(params string[] fixtures) => GraphPlugins.Install(_temp.Path, ["Log", "File"], fixtures);

    private GraphResult Build(string ini) => GraphBuilder.Build(_temp.Write("hub.ini", ini), new GraphEnvironment());

    [Fact]
    public async Task A_valid_configuration_becomes_routes_with_bound_targets_and_resolved_failover_chains()
    {
        var built = Build($$"""
            [defaults]
            plugins = '{{Plugins()}}'
            launch = file, log

            [config:file]
            targets = { 'out': ['out.log'], 'spare': ['spare.log'] }
            failover.out = file:spare, log

            [config:log]
            targets = { 'info': ['info'], 'crit': ['crit'] }

            [sensors/+/temp]
            targets = file:out
            failover = log:crit
            """);

        var graph = built.Graph;
        Assert.True(graph is not null, string.Join("\n", built.Diagnostics));
        Assert.Equal(4, graph.Targets.Count);
        var route = Assert.Single(graph.Routes);
        Assert.Equal("sensors/+/temp", route.Filter);
        Assert.Equal("file:out", Assert.Single(route.Targets).DisplayName);
        Assert.Equal(["log:crit"], route.Failover.SelectMany(l => l.Targets).Select(t => t.DisplayName));
        // The target's own chain: a bare service is every one of its targets, in declaration order.
        var own = graph.Targets[("file", "out")].Failover;
        Assert.Equal(["file:spare", "log:info", "log:crit"], own.SelectMany(l => l.Targets).Select(t => t.DisplayName));
        Assert.Same(graph.Targets[("file", "spare")], own[0].Targets[0]);
        Assert.NotNull(graph.Targets[("file", "out")].Sink);
        await graph.DisposeAsync(unload: true);
    }

    [Fact]
    public void Every_kind_of_problem_comes_back_in_one_run_each_at_its_line()
    {
        var path = _temp.File("hub.ini");
        var built = Build($$"""
            [defaults]
            plugins = '{{Plugins()}}'
            launch = file, log, spare
            port = eighty
            loglevel = CHATTY

            [config:file]
            retries = many
            plugin_timeout = -1
            targets = { 'out': ['out.log'], 'bad': 42 }

            [config:log]
            targets = { 'info': ['info'] }

            [sensors/#/temp]
            targets = file:out
            stages = nosuch

            [other]
            topic = a/b#
            targets = log:info
            format = {temperature:.1q}

            [config:spare]
            module = file
            append_newline = maybe
            targets = { 'x': ['x.log'] }
            """);

        Assert.Null(built.Graph);
        var lines = built.Diagnostics.Select(d => d.ToString()).ToList();
        // INI literal, loglevel, plugin option, delivery policy, service setting, descriptor, topic filters, stage.
        Assert.Contains(lines, l => l.StartsWith($"{path}:4: ", StringComparison.Ordinal) && l.Contains("port", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{path}:5: [defaults] 'loglevel' must be one of", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{path}:8: ", StringComparison.Ordinal) && l.Contains("retries must be a whole number", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{path}:9: ", StringComparison.Ordinal) && l.Contains("plugin_timeout must be a positive number", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{path}:10: ", StringComparison.Ordinal) && l.Contains("target 'bad'", StringComparison.Ordinal));
        Assert.Contains($"{path}:15: [sensors/#/temp] invalid topic filter 'sensors/#/temp': '#' must be the last level, alone", lines);
        Assert.Contains(lines, l => l.StartsWith($"{path}:15: ", StringComparison.Ordinal) && l.Contains("stage 'nosuch'", StringComparison.Ordinal));
        Assert.Contains($"{path}:20: [other] invalid topic filter 'a/b#': '#' must be the last level, alone", lines);
        Assert.Contains(lines, l => l.StartsWith($"{path}:22: warning: [other] 'format' can never be rendered", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{path}:26: ", StringComparison.Ordinal) && l.Contains("append_newline", StringComparison.Ordinal));
        Assert.Equal(lines.OrderBy(l => int.Parse(l[(path.Length + 1)..l.IndexOf(':', path.Length + 1)], System.Globalization.CultureInfo.InvariantCulture)), lines);
    }

    [Fact]
    public async Task A_plugin_assembly_that_cannot_load_is_a_warning_and_the_other_plugins_bind()
    {
        var built = Build($$"""
            [defaults]
            plugins = '{{Plugins("FixtureBroken")}}'
            launch = log

            [config:log]
            targets = { 'info': ['info'] }

            [a/#]
            targets = log:info
            """);

        Assert.True(built.Graph is not null, string.Join("\n", built.Diagnostics));
        var warning = Assert.Single(built.Warnings);
        Assert.StartsWith($"{_temp.File("hub.ini")}:2: warning: plugin not loaded: ", warning.ToString(), StringComparison.Ordinal);
        Assert.Contains("FixtureBroken.dll: Could not load file or assembly 'Newtonsoft.Json", warning.ToString(), StringComparison.Ordinal);
        await built.Graph.DisposeAsync(unload: true);
    }

    [Fact]
    public void A_service_whose_plugin_cannot_load_is_an_error_at_its_section_that_says_why()
    {
        var built = Build($$"""
            [defaults]
            plugins = '{{Plugins("FixtureBroken")}}'
            launch = log, broken

            [config:log]
            targets = { 'info': ['info'] }

            [config:broken]
            module = fixture_broken
            targets = { 'x': [] }

            [a/#]
            targets = broken:x
            """);

        Assert.Null(built.Graph);
        var error = Assert.Single(built.Errors);
        Assert.StartsWith($"{_temp.File("hub.ini")}:8: [config:broken]: plugin 'fixture_broken' could not be loaded from ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Newtonsoft.Json", error.Message, StringComparison.Ordinal);
    }
}
