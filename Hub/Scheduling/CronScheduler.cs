using Hub.Functions;
using Microsoft.Extensions.Logging;

namespace Hub.Scheduling;

/// <summary>
/// Runs the <c>[cron]</c> functions (mqttwarn-compat §4.5): fixed delay, i.e. the next run starts
/// <c>interval</c> seconds after the previous one finished, so runs of one job never overlap; with
/// <c>now=true</c> the first run is at start. An exception is logged and the schedule continues.
/// Independent of the broker connection. Time comes from the <see cref="TimeProvider"/>, so tests
/// drive it with a fake clock.
/// </summary>
public sealed class CronScheduler
{
    private readonly IReadOnlyList<CronJob> _jobs;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private int _completedRuns;

    public CronScheduler(FunctionTable functions, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(functions);
        _jobs = functions.Cron;
        _time = time;
        _logger = logger;
    }

    /// <summary>How many runs have finished (successfully or not), over all jobs.</summary>
    public int CompletedRuns => Volatile.Read(ref _completedRuns);

    /// <summary>Starts one loop per job; returns at once.</summary>
    public void Start()
    {
        foreach (var job in _jobs)
        {
            _logger.LogInformation("Scheduling {Function}() every {Interval} s{Now}", job.Function.Name, job.Entry.IntervalSeconds, job.Entry.Now ? ", first run now" : "");
            _loops.Add(Task.Run(() => LoopAsync(job, _stopping.Token)));
        }
    }

    /// <summary>Stops scheduling; a run in progress is awaited at most <paramref name="wait"/>.</summary>
    public async Task StopAsync(TimeSpan wait)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).WaitAsync(wait, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("A [cron] function was still running at shutdown");
        }
    }

    private async Task LoopAsync(CronJob job, CancellationToken stopping)
    {
        var interval = TimeSpan.FromSeconds(job.Entry.IntervalSeconds);
        try
        {
            if (!job.Entry.Now)
            {
                await Task.Delay(interval, _time, stopping).ConfigureAwait(false);
            }

            while (!stopping.IsCancellationRequested)
            {
                await RunOnceAsync(job).ConfigureAwait(false);
                await Task.Delay(interval, _time, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task RunOnceAsync(CronJob job)
    {
        try
        {
            _logger.LogDebug("Running [cron] {Function}()", job.Function.Name);
            await job.Function.InvokeAsync([], job.Context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogError("[cron] {Function}() failed: {Type}: {Reason}", job.Function.Name, ex.GetType().Name, ex.Message);
        }
        finally
        {
            Interlocked.Increment(ref _completedRuns);
        }
    }
}
