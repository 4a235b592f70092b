using System.Collections.Concurrent;
using System.Collections.Specialized;
using Hub.Analytics.Jobs;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Hub.Scheduling;

/// <summary>
/// Runs the <c>[job:NAME]</c> jobs on Quartz.NET (docs/jobs.md): a persistent ADO job store on SQLite (<c>jobs.db</c> in
/// the state directory, schema provisioned by Quartz) so schedules and next fire times survive restarts; cron triggers
/// in the job's time zone or interval triggers; the misfire policy per job (<c>run_once</c>: one catch-up run for any
/// number of missed ones, <c>skip</c>: on to the next time); chaining (a job runs when every job in its <c>after</c>
/// succeeded since its own last run, with their outputs). Quartz reads time from the <see cref="TimeProvider"/>, so tests
/// drive it with a fake clock. Each run is kept in the <see cref="JobRunLog"/>.
/// </summary>
internal sealed class JobScheduler : IAsyncDisposable
{
    public const string StoreFileName = "jobs.db";
    private const string Group = "hub";
    internal const string ContextKey = "hub.jobs";
    internal const string CauseKey = "cause";
    private const string SignatureKey = "signature";

    private readonly IScheduler _scheduler;
    private readonly Dictionary<string, JobOptions> _jobs;
    private readonly JobServices _services;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JobRunRecord>> _waiters = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<JobRunRecord, bool> Match, TaskCompletionSource<JobRunRecord> Done)> _watchers = [];

    private JobScheduler(IScheduler scheduler, IReadOnlyList<JobOptions> jobs, JobRunLog runs, JobServices services, ILogger logger)
    {
        _scheduler = scheduler;
        _jobs = jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
        Runs = runs;
        _services = services;
        _logger = logger;
    }

    /// <summary>What the jobs run with.</summary>
    public JobServices Services => _services;

    /// <summary>The run history.</summary>
    public JobRunLog Runs { get; }

    /// <summary>The Quartz scheduler's name for the store in <paramref name="stateDirectory"/> (stable across restarts: the store keeps its rows by it).</summary>
    public static string SchedulerName(string stateDirectory) => "hub:" + Path.GetFullPath(stateDirectory);

    /// <summary>Opens the job store in <paramref name="stateDirectory"/>, brings its jobs and triggers in line with <paramref name="jobs"/> and starts firing.</summary>
    public static async Task<JobScheduler> StartAsync(IReadOnlyList<JobOptions> jobs, string stateDirectory, JobServices services, ILogger logger, CancellationToken cancellationToken)
    {
        var scheduler = await OpenAsync(stateDirectory, services.Time, cancellationToken).ConfigureAwait(false);
        var runs = JobRunLog.Open(Path.Combine(stateDirectory, JobRunLog.FileName), recover: true);
        var jobScheduler = new JobScheduler(scheduler, jobs, runs, services, logger);
        scheduler.Context[ContextKey] = jobScheduler;
        await jobScheduler.SynchronizeAsync(cancellationToken).ConfigureAwait(false);
        await scheduler.Start(cancellationToken).ConfigureAwait(false);
        return jobScheduler;
    }

    /// <summary>A Quartz scheduler on the store in <paramref name="stateDirectory"/>, not started (the CLI uses one to queue a run for the running hub).</summary>
    public static async Task<IScheduler> OpenAsync(string stateDirectory, TimeProvider time, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, StoreFileName);
        var factory = QuartzSchedulerBuilder.Create(q =>
            {
                q.UseTimeProvider(time);
                q.UsePersistentStore(store =>
                {
                    store.UseSqlite($"Data Source={path};Default Timeout=30");
                    store.ProvisionSchema();
                    store.UseSystemTextJsonSerializer(_ => { });
                });
            })
            .UseProperties(new NameValueCollection
            {
                ["quartz.scheduler.instanceName"] = SchedulerName(stateDirectory),
                // A run queued by `hub jobs run` from another process is seen within this many milliseconds.
                ["quartz.scheduler.idleWaitTime"] = "5000",
                ["quartz.threadPool.maxConcurrency"] = "4",
            })
            .Build();
        return await factory.GetScheduler(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds, updates and removes Quartz jobs and triggers so the store matches the configuration; an unchanged schedule keeps its next fire time.</summary>
    private async Task SynchronizeAsync(CancellationToken cancellationToken)
    {
        var stored = await _scheduler.QueryJobs(new JobQuery { Group = GroupMatcher<JobKey>.AnyGroup(), Take = 10_000 }, cancellationToken).ConfigureAwait(false);
        foreach (var key in stored.Items.Select(j => j.Key).Where(k => k.Group == Group && !_jobs.ContainsKey(k.Name)))
        {
            await _scheduler.DeleteJob(key, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("Job {Job} is no longer configured: removed from the job store", key.Name);
        }

        foreach (var job in _jobs.Values)
        {
            var detail = JobBuilder.Create<QuartzJob>().WithIdentity(job.Name, Group).StoreDurably().WithDescription(job.Kind).Build();
            await _scheduler.AddJob(detail, AddJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
            var triggerKey = new TriggerKey(job.Name, Group);
            var existing = await _scheduler.GetTrigger(triggerKey, cancellationToken).ConfigureAwait(false);
            if (existing is not null && existing.JobDataMap.GetString(SignatureKey) == job.ScheduleSignature)
            {
                _logger.LogInformation("Job {Job} ({Kind}): next run {Next:u}", job.Name, job.Kind, existing.NextFireTimeUtc);
                continue;
            }

            if (existing is not null)
            {
                await _scheduler.UnscheduleJob(triggerKey, cancellationToken).ConfigureAwait(false);
            }

            if (Trigger(job, triggerKey) is { } trigger)
            {
                var next = await _scheduler.ScheduleJob(trigger, default, cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Job {Job} ({Kind}): scheduled, next run {Next:u}", job.Name, job.Kind, next);
            }
        }
    }

    private ITrigger? Trigger(JobOptions job, TriggerKey key)
    {
        var builder = TriggerBuilder.Create().WithIdentity(key).ForJob(job.Name, Group).UsingJobData(SignatureKey, job.ScheduleSignature);
        if (job.Cron is { } cron)
        {
            return builder.StartAt(_services.Time.GetUtcNow()).WithCronSchedule(cron, c => c.InTimeZone(job.TimeZone).WithMisfireInstruction(
                job.Misfire == JobMisfire.Skip ? CronTriggerMisfireInstruction.DoNothing : CronTriggerMisfireInstruction.FireAndProceed)).Build();
        }

        if (job.Interval is { } interval)
        {
            // Like [cron]: the first run one interval after the schedule starts.
            return builder.StartAt(_services.Time.GetUtcNow() + interval).WithSimpleSchedule(s =>
            {
                s.WithInterval(interval).RepeatForever();
                s.WithMisfireInstruction(job.Misfire == JobMisfire.Skip
                    ? SimpleTriggerMisfireInstruction.NextWithRemainingCount
                    : SimpleTriggerMisfireInstruction.NowWithExistingCount);
            }).Build();
        }

        return null;
    }

    /// <summary>The next scheduled run of <paramref name="job"/>, or null when it has no schedule.</summary>
    public async Task<DateTimeOffset?> NextRunAsync(string job, CancellationToken cancellationToken = default) =>
        (await _scheduler.GetTrigger(new TriggerKey(job, Group), cancellationToken).ConfigureAwait(false))?.NextFireTimeUtc;

    /// <summary>Queues a run of <paramref name="job"/> now (cause <c>manual</c>, or <c>chain</c>).</summary>
    public async Task TriggerAsync(string job, string cause = "manual", CancellationToken cancellationToken = default)
    {
        if (!_jobs.ContainsKey(job))
        {
            throw new KeyNotFoundException($"no job '{job}'");
        }

        await _scheduler.TriggerJob(new JobKey(job, Group), new JobDataMap { [CauseKey] = cause }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues a manual run of <paramref name="job"/> in the store behind <paramref name="scheduler"/> (a not-started one: the running hub runs it).</summary>
    public static async Task QueueAsync(IScheduler scheduler, string job, CancellationToken cancellationToken) =>
        await scheduler.TriggerJob(new JobKey(job, Group), new JobDataMap { [CauseKey] = "manual" }, cancellationToken).ConfigureAwait(false);

    /// <summary>Completes with the first run finishing from now on that <paramref name="match"/> accepts (tests and the web API wait on it; no polling).</summary>
    public Task<JobRunRecord> WhenFinished(Func<JobRunRecord, bool> match)
    {
        var done = new TaskCompletionSource<JobRunRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _watchers.Add((match, done));
        }

        return done.Task;
    }

    public async ValueTask DisposeAsync() => await _scheduler.Shutdown(waitForJobsToComplete: true).ConfigureAwait(false);

    /// <summary>One run (called by <see cref="QuartzJob"/> on a Quartz worker thread).</summary>
    internal async Task ExecuteAsync(string name, string cause, CancellationToken cancellationToken)
    {
        if (!_jobs.TryGetValue(name, out var job))
        {
            return;
        }

        var started = _services.Time.GetUtcNow();
        var id = Runs.Start(name, job.Kind, cause, started);
        _logger.LogInformation("Job {Job} ({Kind}) started ({Cause})", name, job.Kind, cause);
        string? error = null;
        JobResult? result = null;
        try
        {
            var upstream = job.After.Select(a => (a, Runs.LastSuccess(a)?.Output)).Where(u => u.Output is not null)
                .ToDictionary(u => u.a, u => u.Output!, StringComparer.Ordinal);
            var context = new JobContext { Options = job, Now = started, Upstream = upstream, Services = _services };
            result = await JobRunner.RunAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error = $"{ex.GetType().Name}: {ex.Message}";
        }

        var finished = _services.Time.GetUtcNow();
        Runs.Finish(id, finished, error, result?.Summary, result?.Output);
        if (error is null)
        {
            _logger.LogInformation("Job {Job} succeeded in {Duration} ms: {Summary}", name, (finished - started).TotalMilliseconds, result!.Summary);
            await TriggerFollowersAsync(name, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _logger.LogError("Job {Job} failed in {Duration} ms: {Error}", name, (finished - started).TotalMilliseconds, error);
        }

        var record = new JobRunRecord(id, name, job.Kind, cause, started, finished, error is null ? "succeeded" : "failed", error, result?.Summary, result?.Output);
        List<TaskCompletionSource<JobRunRecord>> done;
        lock (_gate)
        {
            done = _watchers.Where(w => w.Match(record)).Select(w => w.Done).ToList();
            _watchers.RemoveAll(w => done.Contains(w.Done));
        }

        done.ForEach(d => d.TrySetResult(record));
    }

    /// <summary>Every job that follows <paramref name="name"/> runs when all the jobs it follows succeeded since its own last run.</summary>
    private async Task TriggerFollowersAsync(string name, CancellationToken cancellationToken)
    {
        foreach (var follower in _jobs.Values.Where(j => j.After.Contains(name, StringComparer.Ordinal)))
        {
            var since = Runs.Last(follower.Name)?.Started;
            var ready = follower.After.All(a => Runs.LastSuccess(a) is { } success && (since is null || success.Started >= since));
            if (ready)
            {
                await TriggerAsync(follower.Name, "chain", cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
