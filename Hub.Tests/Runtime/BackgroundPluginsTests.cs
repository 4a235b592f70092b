using System.Threading.Channels;
using Hub.Config;
using Hub.Plugins;
using Hub.Runtime;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Runtime;

public sealed class BackgroundPluginsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static readonly HubConfig Config = ConfigLoader.LoadText("""
        [defaults]
        launch = job, source

        [config:job]
        interval = 5

        [config:source]
        """, "/tmp/background.ini").Config!;

    [Fact]
    public async Task A_scheduled_job_runs_every_interval_after_the_previous_run_and_a_failure_does_not_stop_it()
    {
        var time = new FakeTimeProvider();
        var log = new CollectingLogger();
        var job = new FlakyJob();
        var background = new BackgroundPlugins(log, time);
        background.Start([(Config.FindService("job")!, job)], Config.Defaults);

        for (var run = 1; run <= 3; run++)
        {
            await time.WaitForTimerAsync(TimeSpan.FromSeconds(5), Wait);
            time.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(run, await job.Runs.Reader.ReadAsync(new CancellationTokenSource(Wait).Token));
        }

        await background.StopAsync();
        Assert.Contains(log.Messages(LogLevel.Warning), m => m.Contains("Scheduled job job failed: run 1 failed"));
    }

    [Fact]
    public async Task A_source_runs_until_the_hub_stops()
    {
        var source = new WaitingSource();
        var background = new BackgroundPlugins(new CollectingLogger(), TimeProvider.System);
        background.Start([(Config.FindService("source")!, source)], Config.Defaults);

        await source.Started.Task.WaitAsync(Wait);
        await background.StopAsync().WaitAsync(Wait);
        Assert.True(source.Stopped);
    }

    private sealed class FlakyJob : IScheduledJob
    {
        private int _runs;
        public Channel<int> Runs { get; } = Channel.CreateUnbounded<int>();

        public ValueTask ExecuteAsync(CancellationToken cancellationToken)
        {
            var run = Interlocked.Increment(ref _runs);
            Runs.Writer.TryWrite(run);
            return run == 1 ? throw new InvalidOperationException("run 1 failed") : ValueTask.CompletedTask;
        }
    }

    private sealed class WaitingSource : IMessageSource
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool Stopped { get; private set; }

        public async Task RunAsync(CancellationToken stoppingToken)
        {
            Started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, stoppingToken);
            }
            finally
            {
                Stopped = true;
            }
        }
    }
}
