using Hub.Graph;
using Hub.Tests.Support;

namespace Hub.Tests.Graph;

/// <summary>
/// A sink's <c>ITargetBinder</c> binds each target descriptor once per graph (start-up, each reload), never per message,
/// and every item reaches <c>SendAsync</c> with that binding: the fixture's sink has no parser of its own, and logs each
/// binding it is asked for.
/// </summary>
public sealed class TargetBindingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Ini(string targets) => Write($$"""
        [config:counted]
        module = fixture_binder
        targets = {{targets}}
        failover = file:spare

        [config:file]
        targets = { 'spare': ['spare.log'] }

        [bind/#]
        targets = counted
        """);

    /// <summary>hub.ini: the embedded broker, the binder fixture and the file plugin, then <paramref name="sections"/> (from line 10).</summary>
    private string Write(string sections) => _temp.Write("hub.ini", $$"""
        [defaults]
        clientid = 'binding'
        plugins = '{{GraphPlugins.Install(_temp.Path, ["File"], "FixtureBinder")}}'
        launch = counted, file

        [broker]
        enabled = True
        listen = 127.0.0.1:0

        {{sections}}
        """);

    [Fact]
    public async Task Each_target_is_bound_once_per_graph_and_every_message_carries_that_binding()
    {
        var ini = Ini("{ 'a': ['a.log'], 'b': ['b.log'] }");
        var hub = await InProcessHub.StartAsync(ini);
        try
        {
            await Condition.UntilAsync(() => hub.Runtime.IsConnected, TimeSpan.FromSeconds(30), "the hub's session connected");
            for (var i = 1; i <= 5; i++)
            {
                await hub.PublishAsync("bind/x", $"m{i}");
            }

            await FileWait.LinesAsync(_temp.File("a.log"), 5, TimeSpan.FromSeconds(30));
            await FileWait.LinesAsync(_temp.File("b.log"), 5, TimeSpan.FromSeconds(30));
            Assert.Equal(["bind a", "bind b"], await File.ReadAllLinesAsync(_temp.File("binds.log")));

            // A reload builds a new graph: each target is bound once more, and the new binding delivers from then on.
            Assert.True(await hub.Runtime.ReloadAsync("test"));
            await hub.PublishAsync("bind/x", "after");
            await FileWait.LinesAsync(_temp.File("a.log"), 6, TimeSpan.FromSeconds(30));
            Assert.Equal(["bind a", "bind b", "bind a", "bind b"], await File.ReadAllLinesAsync(_temp.File("binds.log")));
        }
        finally
        {
            await hub.DisposeAsync();
        }

        var lines = await File.ReadAllLinesAsync(_temp.File("a.log"));
        var before = lines.Take(5).Select(l => l.Split(' ')[0]).Distinct().ToList();
        Assert.Single(before);
        Assert.Equal(["m1", "m2", "m3", "m4", "m5", "after"], lines.Select(l => l.Split(' ')[1]));
        Assert.NotEqual(before[0], lines[5].Split(' ')[0]);
    }

    [Fact]
    public async Task A_failover_hop_hands_the_next_target_its_own_binding()
    {
        // A path below a regular file can never be written: the file target gives up at once and fails over to the
        // binder's target, whose sink delivers only items that carry its binding.
        _temp.Write("blocker", "");
        var ini = Write("""
            [config:counted]
            module = fixture_binder
            targets = { 'a': ['a.log'] }

            [config:file]
            retries = 0
            failover = counted:a
            targets = { 'broken': ['blocker/x.log'] }

            [hop/#]
            targets = file:broken
            """);
        var hub = await InProcessHub.StartAsync(ini);
        try
        {
            await Condition.UntilAsync(() => hub.Runtime.IsConnected, TimeSpan.FromSeconds(30), "the hub's session connected");
            await hub.PublishAsync("hop/x", "rescued");

            var content = await FileWait.LinesAsync(_temp.File("a.log"), 1, TimeSpan.FromSeconds(30));
            Assert.EndsWith(" rescued\n", content, StringComparison.Ordinal);
        }
        finally
        {
            await hub.DisposeAsync();
        }
    }

    [Fact]
    public void A_descriptor_the_binder_refuses_is_an_error_at_the_target_line()
    {
        var ini = Ini("{ 'a': ['a.log'],\n  'b': 42 }");

        var built = GraphBuilder.Build(ini, new GraphEnvironment());

        Assert.Null(built.Graph);
        var error = Assert.Single(built.Errors);
        Assert.Equal($"{ini}:13: [config:counted] target 'b': the target must be ['FILE']", error.ToString());
    }

    [Fact]
    public async Task The_graph_holds_the_bound_target_and_the_failover_chain_as_references()
    {
        var built = GraphBuilder.Build(Ini("{ 'a': ['a.log'] }"), new GraphEnvironment());
        var graph = built.Graph;
        Assert.True(graph is not null, string.Join("\n", built.Diagnostics));

        var target = graph.Targets[("counted", "a")];
        Assert.NotNull(target.Bound);
        Assert.Same(graph.Targets[("file", "spare")], Assert.Single(Assert.Single(target.Failover).Targets));
        await graph.DisposeAsync(unload: true);
    }
}
