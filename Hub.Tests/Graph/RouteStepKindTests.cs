using System.Text;
using Hub.Config;
using Hub.Graph;
using Hub.Pipeline;
using Hub.Routing;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Tests.Graph;

/// <summary>
/// A new kind of route step (analytics, storage) is added through the graph's environment: the graph composes it into
/// each route's step list once, and the router, unchanged, runs it between the route's stages and its targets.
/// </summary>
public sealed class RouteStepKindTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_step_kind_added_through_the_graph_runs_in_every_route_it_chooses_before_the_targets()
    {
        var ini = _temp.Write("hub.ini", $$"""
            [defaults]
            plugins = '{{GraphPlugins.Install(_temp.Path, ["File"])}}'
            launch = file

            [config:file]
            targets = { 'out': ['out.log'] }

            [sensors/#]
            targets = file:out

            [other/#]
            targets = file:out
            """);
        var kind = new ThresholdKind("sensors/#");

        var built = GraphBuilder.Build(ini, new GraphEnvironment { StepKinds = [kind] });
        var graph = built.Graph;
        Assert.True(graph is not null, string.Join("\n", built.Diagnostics));
        try
        {
            var sensors = graph.Routes.Single(r => r.Section.Name == "sensors/#");
            Assert.Equal(["data", "threshold", "targets", "format", "items"], sensors.Steps.Select(s => s.Name));
            Assert.DoesNotContain(graph.Routes.Single(r => r.Section.Name == "other/#").Steps, s => s.Name == "threshold");

            // The router as hub run makes it: the graph's step lists and bound targets.
            var router = new MessageRouter(graph.Config, NullLogger.Instance, TimeProvider.System, graph.Steps, graph.Services.Bound);
            var low = Assert.Single(router.Route("sensors/t", Encoding.UTF8.GetBytes("""{"temp": 12}"""), retained: false));
            var high = Assert.Single(router.Route("sensors/t", Encoding.UTF8.GetBytes("""{"temp": 31}"""), retained: false));
            var other = Assert.Single(router.Route("other/t", Encoding.UTF8.GetBytes("""{"temp": 12}"""), retained: false));

            Assert.Empty(low.Items);
            Assert.Contains("below the threshold", low.Notes);
            var item = Assert.Single(high.Items).Item;
            Assert.Same(graph.Targets[("file", "out")].Bound, item.Bound);
            Assert.Single(other.Items);
            Assert.Equal([12L, 31L], kind.Seen);
        }
        finally
        {
            await graph.DisposeAsync(unload: true);
        }
    }

    /// <summary>An analytics-like kind: in the routes of <paramref name="route"/>, lets a message on only when its temp is above 20.</summary>
    private sealed class ThresholdKind(string route) : IRouteStepKind
    {
        public List<object?> Seen { get; } = [];

        public IRouteStep? For(TopicSection section) => section.Name == route ? new ThresholdStep(Seen) : null;
    }

    private sealed class ThresholdStep(List<object?> seen) : IRouteStep
    {
        public string Name => "threshold";

        public bool IsBuiltIn => true;

        public ValueTask<StepResult> RunAsync(RouteContext context)
        {
            var temp = context.Data.Value["temp"];
            seen.Add(temp);
            if (temp is long value && value > 20)
            {
                return ValueTask.FromResult(StepResult.Continue);
            }

            context.Outcome.Notes.Add("below the threshold");
            return ValueTask.FromResult(StepResult.Stop);
        }
    }
}
