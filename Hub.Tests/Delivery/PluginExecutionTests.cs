using System.Diagnostics;
using Hub.Delivery;
using Hub.Plugins;
using Hub.Tests.PluginHost;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Hub.Tests.Delivery;

/// <summary>Execution control with real plugin assemblies: timeouts and exception isolation per target.</summary>
public sealed class PluginExecutionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_throwing_plugin_is_logged_and_counted_and_the_other_targets_go_on()
    {
        using var temp = new TempDirectory();
        var catalog = FixturePlugins.Catalog(temp, "FixtureThrowing");
        var log = new CollectingLogger();
        var throwing = new TargetQueue("bad", "t", new RunningSink("bad", FixturePlugins.Create<ISink>(catalog, "fixture_throwing"), Wait, log), 10);
        var good = new CollectingSink();
        var other = new TargetQueue("good", "t", new RunningSink("good", good, Wait, log), 10);
        throwing.Start(CancellationToken.None);
        other.Start(CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            await throwing.EnqueueAsync(Some.Item($"m{i}", topic: "alarms/x"), CancellationToken.None);
            await other.EnqueueAsync(Some.Item($"m{i}"), CancellationToken.None);
        }

        await Task.WhenAll(throwing.DrainAsync(new CancellationTokenSource(Wait).Token), other.DrainAsync(new CancellationTokenSource(Wait).Token));
        Assert.Equal(3, throwing.Counters.Threw);
        Assert.Equal(0, throwing.Counters.TimedOut);
        Assert.Equal(3, other.Counters.Sent);
        Assert.Contains(log.Messages(LogLevel.Warning), m => m.Contains("service=bad") && m.Contains("fixture_throwing refuses alarms/x"));
    }

    [Fact]
    public async Task A_plugin_that_blocks_its_thread_times_out_and_does_not_stall_its_worker_or_the_others()
    {
        using var temp = new TempDirectory();
        var catalog = FixturePlugins.Catalog(temp, "FixtureHanging");
        var log = new CollectingLogger();
        var running = new RunningSink("hang", FixturePlugins.Create<ISink>(catalog, "fixture_hanging"), TimeSpan.FromMilliseconds(200), log);
        var hanging = new TargetQueue("hang", null, running, 10);
        var good = new CollectingSink();
        var other = new TargetQueue("good", null, new RunningSink("good", good, Wait, log), 10);
        hanging.Start(CancellationToken.None);
        other.Start(CancellationToken.None);

        await hanging.EnqueueAsync(Some.Item("a"), CancellationToken.None);
        await hanging.EnqueueAsync(Some.Item("b"), CancellationToken.None);
        await other.EnqueueAsync(Some.Item("c"), CancellationToken.None);

        Assert.Equal("c", (await good.NextAsync(Wait)).Message);
        await hanging.DrainAsync(new CancellationTokenSource(Wait).Token); // both attempts ended by the timeout: a new worker took over
        Assert.Equal(2, hanging.Counters.TimedOut);
        Assert.True(running.Isolated); // the first call blocked the worker's thread: later calls start on the thread pool
        Assert.Contains(log.Messages(LogLevel.Warning), m => m.Contains("its calls now start on the thread pool"));
        Assert.Contains(log.Messages(LogLevel.Warning), m => m.Contains("service=hang") && m.Contains("timed out after 0.2 s"));
    }

    [Fact]
    public async Task One_slow_synchronous_call_does_not_isolate_the_plugin_but_three_in_a_row_do()
    {
        var clock = new FakeTimeProvider();
        var sink = new SlowSink(clock);
        var log = new CollectingLogger();
        var running = new RunningSink("slow", sink, TimeSpan.FromHours(1), log, clock);
        var item = Some.Item("x");

        // A busy machine: one call took 150 ms, the next ones are quick again.
        foreach (var takes in new[] { 150, 0, 150, 150, 0 })
        {
            sink.Takes = TimeSpan.FromMilliseconds(takes);
            Assert.Equal(DeliveryResult.Sent, (await running.AttemptAsync(item, CancellationToken.None)).Result);
        }

        Assert.False(running.Isolated);

        // A plugin that blocks, blocks every time.
        sink.Takes = TimeSpan.FromMilliseconds(150);
        for (var i = 0; i < 3; i++)
        {
            await running.AttemptAsync(item, CancellationToken.None);
        }

        Assert.True(running.Isolated);
        Assert.Contains(log.Messages(LogLevel.Warning), m => m.Contains("3 calls in a row blocked the calling thread", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_isolation_costs_little_per_delivery()
    {
        var sink = new CollectingSink();
        var running = new RunningSink("svc", sink, Wait, new CollectingLogger());
        var item = Some.Item("x");
        const int count = 20_000;
        for (var i = 0; i < 1000; i++)
        {
            await running.AttemptAsync(item, CancellationToken.None);
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await running.AttemptAsync(item, CancellationToken.None);
        }

        var perItem = watch.Elapsed / count;
        watch.Restart();
        for (var i = 0; i < count; i++)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken.None);
            attempt.CancelAfter(Wait);
            await sink.SendAsync(item, attempt.Token);
        }

        var inline = watch.Elapsed / count;
        output.WriteLine($"{perItem.TotalMicroseconds:0.0} µs per delivery through RunningSink, {inline.TotalMicroseconds:0.0} µs calling the sink directly with the same timeout");
        Assert.True(perItem < TimeSpan.FromMilliseconds(1), $"{perItem.TotalMicroseconds} µs per delivery");
    }
}
