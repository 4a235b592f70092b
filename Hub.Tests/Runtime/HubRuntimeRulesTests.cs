using Hub.Tests.Support;

namespace Hub.Tests.Runtime;

/// <summary>The running hub subscribes to the rules' topics and hands each message's verdicts to the alarm lifecycle.</summary>
public sealed class HubRuntimeRulesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_message_on_a_rule_topic_no_section_subscribes_is_evaluated_and_its_verdict_reaches_the_lifecycle()
    {
        var ini = _temp.Write("hub.ini", $$"""
            [defaults]
            clientid = 'rules-run'
            plugins = '{{Repo.PluginDirectory}}'
            launch = file

            [broker]
            enabled = True
            listen = 127.0.0.1:0

            [config:file]
            targets = { 'out': ['{{_temp.File("out.log")}}'] }

            [other/topic]
            targets = file:out

            [rule:hot]
            topic = sensors/+/temp
            when = value > 30
            recover = value < 28
            """);
        var lifecycle = new CollectingAlarmLifecycle();
        var hub = await InProcessHub.StartAsync(ini, configure: runtime => runtime.AlarmLifecycle = lifecycle);
        try
        {
            await Condition.UntilAsync(() => hub.Runtime.IsConnected, TimeSpan.FromSeconds(30), "the hub's session connected");
            Assert.Contains(hub.Runtime.Client.Subscriptions, s => s.Filter == "sensors/+/temp");

            await hub.PublishAsync("sensors/attic/temp", "31.5");
            await hub.PublishAsync("sensors/attic/temp", "not a number");
            await Condition.UntilAsync(() => lifecycle.Verdicts.Count >= 2, TimeSpan.FromSeconds(30), "two verdicts");

            var verdicts = lifecycle.Verdicts.ToList();
            Assert.Equal("hot", verdicts[0].Rule);
            Assert.Equal("sensors/attic/temp", verdicts[0].Key);
            Assert.Equal(31.5, verdicts[0].Value);
            Assert.True(verdicts[0].When);
            Assert.NotNull(verdicts[1].Error);
            Assert.Equal(2, hub.Runtime.Rules!.Evaluated);
            Assert.Equal(1, hub.Runtime.Rules.Errors);
        }
        finally
        {
            await hub.DisposeAsync();
        }
    }
}
