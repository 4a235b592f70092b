using System.Collections.Concurrent;
using Hub.Config;
using Microsoft.Extensions.Logging;

namespace Hub.Scheduling;

/// <summary>
/// Runs the <c>[cron]</c> functions (mqttwarn-compat §4.5): fixed delay, i.e. the next run starts
/// <c>interval</c> seconds after the previous one finished, so runs of one job never overlap; with
/// <c>now=true</c> the first run is at start. An exception is logged and the schedule continues.
/// Independent of the broker connection. Time comes from the <see cref="TimeProvider"/>, so tests
/// drive it with a fake clock. After a reload the new scheduler continues the schedule of every job
/// the previous one ran (<see cref="ContinueFrom"/>): <c>now=true</c> means at hub start, not at every reload.
/// </summary>
public sealed class CronScheduler
{
    private readonly IReadOnlyList<CronJob> _jobs;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];

    // Per job (by function name): when its current interval started counting, i.e. when its schedule started or its
    // last run ended; null while a run is in progress.
    private readonly ConcurrentDictionary<string, DateTimeOffset?> _intervalStarts = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, DateTimeOffset?> _continued = new Dictionary<string, DateTimeOffset?>();
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

    /// <summary>
    /// Takes over the schedule of <paramref name="previous"/> (stopped, the scheduler of the configuration before a reload):
    /// a job it ran (same function name) next runs one interval after its last run ended, however <c>now</c> is set;
    /// a job new in this configuration starts as at hub start. Call before <see cref="Start"/>.
    /// </summary>
    public void ContinueFrom(CronScheduler previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        _continued = new Dictionary<string, DateTimeOffset?>(previous._intervalStarts, StringComparer.Ordinal);
    }

    /// <summary>Starts one loop per job; returns at once.</summary>
    public void Start()
    {
        foreach (var job in _jobs)
        {
            var continued = _continued.ContainsKey(job.Entry.FunctionName);
            if (job.Entry.Cron is { } cron)
            {
                _logger.LogInformation("Scheduling {Function}() at '{Cron}' ({Zone})", job.Function.Name, cron, job.Entry.TimeZone.Id);
                _loops.Add(Task.Run(() => CronLoopAsync(job, _stopping.Token)));
                continue;
            }

            _logger.LogInformation("Scheduling {Function}() every {Interval} s{When}", job.Function.Name, job.Entry.IntervalSeconds,
                continued ? ", continuing its schedule" : job.Entry.Now ? ", first run now" : "");
            var first = FirstDelay(job);
            _loops.Add(Task.Run(() => LoopAsync(job, first, _stopping.Token)));
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

    /// <summary>How long the job waits before its first run; starts counting its interval (at once, so a reload right after this sees it).</summary>
    private TimeSpan FirstDelay(CronJob job)
    {
        var name = job.Entry.FunctionName;
        var interval = TimeSpan.FromSeconds(job.Entry.IntervalSeconds);
        var now = _time.GetUtcNow();
        if (_continued.TryGetValue(name, out var previousStart))
        {
            // A run still going when the previous scheduler stopped: this interval counts from now.
            var start = previousStart ?? now;
            _intervalStarts[name] = start;
            return start + interval - now;
        }

        _intervalStarts[name] = now;
        return job.Entry.Now ? TimeSpan.Zero : interval;
    }

    private async Task LoopAsync(CronJob job, TimeSpan first, CancellationToken stopping)
    {
        var name = job.Entry.FunctionName;
        var interval = TimeSpan.FromSeconds(job.Entry.IntervalSeconds);
        try
        {
            if (first > TimeSpan.Zero)
            {
                await Task.Delay(first, _time, stopping).ConfigureAwait(false);
            }

            while (!stopping.IsCancellationRequested)
            {
                _intervalStarts[name] = null;
                await RunOnceAsync(job).ConfigureAwait(false);
                _intervalStarts[name] = _time.GetUtcNow();
                await Task.Delay(interval, _time, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>A cron-expression entry: runs at each time the expression names (in its zone) after the previous run ended.</summary>
    private async Task CronLoopAsync(CronJob job, CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested && job.Entry.NextAfter(_time.GetUtcNow()) is { } next)
            {
                var delay = next - _time.GetUtcNow();
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _time, stopping).ConfigureAwait(false);
                }

                await RunOnceAsync(job).ConfigureAwait(false);
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
