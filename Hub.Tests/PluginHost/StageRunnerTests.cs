using Hub.Config;
using Hub.PluginHost;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.PluginHost;

public sealed class StageRunnerTests
{
    private static readonly HubConfig Config = ConfigLoader.LoadText("""
        [defaults]
        launch = accept, reject, add, boom, slow

        [config:accept]
        [config:reject]
        [config:add]
        [config:boom]
        [config:slow]
        plugin_timeout = 0.2

        [a/#]
        stages = accept, add
        targets = accept

        [b/#]
        stages = reject, add
        targets = accept

        [c/#]
        stages = boom, slow, add
        targets = accept

        [d/#]
        targets = accept
        """, "/tmp/stages.ini").Config!;

    private static readonly Dictionary<string, object> Instances = new()
    {
        ["accept"] = new Filter(true),
        ["reject"] = new Filter(false),
        ["add"] = new Add(),
        ["boom"] = new Boom(),
        ["slow"] = new Slow(),
    };

    private static StageRunner Runner(CollectingLogger log)
    {
        var (runner, errors) = StageRunner.Create(Config, Instances, s => s.Name == "slow" ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(10), log);
        Assert.Empty(errors);
        return runner;
    }

    private static TopicSection Section(string name) => Config.Sections.Single(s => s.Name == name);

    [Fact]
    public void Stages_run_in_order_and_a_transform_merges_its_keys_into_the_data()
    {
        var data = new Dictionary<string, object?> { ["topic"] = "a/1" };
        Assert.True(Runner(new CollectingLogger()).Run(Section("a/#"), "a/1", "x"u8.ToArray(), false, data));
        Assert.Equal("A/1!", data["added"]);
    }

    [Fact]
    public void A_filter_answering_false_drops_the_message_before_later_stages()
    {
        var data = new Dictionary<string, object?>();
        Assert.False(Runner(new CollectingLogger()).Run(Section("b/#"), "b/1", "x"u8.ToArray(), false, data));
        Assert.False(data.ContainsKey("added"));
    }

    [Fact]
    public void A_throwing_or_hanging_stage_is_logged_and_counted_and_the_route_goes_on()
    {
        var log = new CollectingLogger();
        var runner = Runner(log);
        var data = new Dictionary<string, object?>();
        Assert.True(runner.Run(Section("c/#"), "c/1", "x"u8.ToArray(), false, data));
        Assert.Equal("C/1!", data["added"]);
        Assert.Equal(1, runner.Threw["boom"]);
        Assert.Equal(1, runner.TimedOut["slow"]);
        Assert.Contains(log.Messages(Microsoft.Extensions.Logging.LogLevel.Warning), m => m.Contains("Stage boom failed on c/1") && m.Contains("stage exploded"));
    }

    [Fact]
    public void A_section_without_stages_passes()
    {
        Assert.False(Runner(new CollectingLogger()).HasStages(Section("d/#")));
        Assert.True(Runner(new CollectingLogger()).Run(Section("d/#"), "d/1", "x"u8.ToArray(), false, new Dictionary<string, object?>()));
    }

    [Fact]
    public void An_unknown_stage_or_a_sink_named_as_a_stage_is_a_configuration_error()
    {
        var instances = new Dictionary<string, object>(Instances) { ["add"] = new CollectingSink() };
        var (_, errors) = StageRunner.Create(Config, instances, _ => TimeSpan.FromSeconds(1), new CollectingLogger());
        Assert.Contains(errors, e => e.Message.Contains("stage 'add' is not a filter, transform or analytics plugin"));
    }

    private sealed class Filter(bool accept) : IMessageFilter
    {
        public ValueTask<bool> AcceptAsync(PipelineMessage message, CancellationToken cancellationToken) => ValueTask.FromResult(accept);
    }

    private sealed class Add : IMessageTransform
    {
        public ValueTask<IReadOnlyDictionary<string, object?>?> TransformAsync(PipelineMessage message, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyDictionary<string, object?>?>(new Dictionary<string, object?> { ["added"] = message.Topic.ToUpperInvariant() + "!" });
    }

    private sealed class Boom : IMessageFilter
    {
        public ValueTask<bool> AcceptAsync(PipelineMessage message, CancellationToken cancellationToken) => throw new InvalidOperationException("stage exploded");
    }

    private sealed class Slow : IMessageTransform
    {
        public async ValueTask<IReadOnlyDictionary<string, object?>?> TransformAsync(PipelineMessage message, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
            return null;
        }
    }
}
