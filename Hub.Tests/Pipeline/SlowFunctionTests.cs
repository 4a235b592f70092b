using System.Collections.Concurrent;
using System.Text;
using Hub.Mqtt;
using Hub.Pipeline;
using Hub.Tests.Functions;
using Hub.Tests.Support;

namespace Hub.Tests.Pipeline;

/// <summary>A real udf.csx filter that blocks on one route: the router's steps on workers keep other routes moving.</summary>
public sealed class SlowFunctionTests
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(10);

    private const string Script = """
        using System.Threading;

        var gate = new ManualResetEventSlim();

        bool Slow(string topic, string payload) { gate.Wait(); return false; }
        void Release() => gate.Set();
        """;

    [Fact]
    public async Task A_slow_user_function_on_one_topic_does_not_delay_the_messages_of_another_topic()
    {
        using var files = new FunctionFiles();
        files.Script(Script);
        var config = files.LoadValid(FunctionFiles.Header + """
            [slow/#]
            targets = log:info
            filter = Slow()

            [fast/#]
            targets = log:info
            """);
        var release = config.Script!.Functions.Single(f => f.Name == "Release");
        var router = new MessageRouter(config, new CollectingLogger(), TimeProvider.System);
        var routed = new ConcurrentQueue<(string Topic, int Items)>();
        var fastDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The route hash is the same in every run: the first worker count that puts the two routes on different workers.
        var count = Enumerable.Range(2, 30).First(n => router.Classify("slow/1").Hash % n != router.Classify("fast/1").Hash % n);
        var workers = new RouteWorkers(count, 4, async (message, _, _) =>
        {
            var outcomes = await router.RouteAsync(message.Topic, message.Payload, message.Retain);
            routed.Enqueue((message.Topic, outcomes.Sum(o => o.Items.Count)));
            if (message.Topic.StartsWith("fast/", StringComparison.Ordinal))
            {
                fastDone.TrySetResult();
            }
        }, router.Classify, new CollectingLogger());
        var (slow, fast) = ("slow/1", "fast/1");
        Assert.NotEqual(workers.IndexOf(slow), workers.IndexOf(fast));
        Assert.Equal(workers.IndexOf(fast), workers.IndexOf("fast/2")); // one route, one worker: its order holds
        Assert.False(router.IsBuiltInOnly(slow));
        Assert.True(router.IsBuiltInOnly(fast));
        workers.Start();
        try
        {
            await workers.HandAsync(new MqttApplicationMessage(slow, Encoding.UTF8.GetBytes("x"), 1), CancellationToken.None);
            await workers.HandAsync(new MqttApplicationMessage(fast, Encoding.UTF8.GetBytes("y"), 1), CancellationToken.None);

            await fastDone.Task.WaitAsync(T);
            Assert.Equal([(fast, 1)], routed);
        }
        finally
        {
            release.Method.Invoke(release.Target, []);
        }

        await workers.StopAsync(new CancellationTokenSource(T).Token);
        Assert.Equal([(fast, 1), (slow, 1)], routed);
    }
}
