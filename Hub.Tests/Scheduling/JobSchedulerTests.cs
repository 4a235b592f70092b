using Hub.Analytics.Jobs;
using Hub.Scheduling;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Tests.Scheduling;

/// <summary>The jobs on Quartz with its SQLite job store, on a fake clock: no sleeps, every wait is on a finished run.</summary>
public sealed class JobSchedulerTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _state = new();
    private readonly FakeTimeProvider _time = new();
    private readonly List<(string Target, string Title, string Message)> _sent = [];

    // The fake clock runs ahead of the wall clock: Quartz computes a new trigger's first fire time after the later of its
    // start time and the wall clock (the trigger's own clock is internal), so a fake "now" in the past would skip a day.
    // 2099-12-07 is a Monday.
    public JobSchedulerTests() => _time.Advance(new DateTimeOffset(2099, 12, 7, 7, 59, 0, TimeSpan.Zero) - _time.GetUtcNow());

    public void Dispose() => _state.Dispose();

    private static JobOptions Report(string name, string? cron = null, TimeSpan? interval = null, string zone = "UTC", JobMisfire misfire = JobMisfire.RunOnce, params string[] after) => new()
    {
        Name = name,
        File = "hub.ini",
        Line = 1,
        Kind = JobKinds.Report,
        Cron = cron,
        Interval = interval,
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById(zone),
        Misfire = misfire,
        After = after,
        Settings = new Dictionary<string, object>
        {
            ["targets"] = new List<string> { "mail:ops" },
            ["period"] = TimeSpan.FromDays(1),
            ["step"] = TimeSpan.FromMinutes(15),
            ["title"] = "report {job}",
        },
    };

    private Task<JobScheduler> StartAsync(params JobOptions[] jobs) => StartAsync(notify: true, jobs);

    private Task<JobScheduler> StartAsync(bool notify, params JobOptions[] jobs)
    {
        var services = new JobServices
        {
            Profiles = SeasonalProfileStore.Open(Path.Combine(_state.Path, SeasonalProfileStore.FileName)),
            Time = _time,
            Logger = NullLogger.Instance,
            Notify = notify ? (target, title, message, _, _) =>
            {
                lock (_sent)
                {
                    _sent.Add((target, title, message));
                }

                return ValueTask.CompletedTask;
            }
            : null,
        };
        return JobScheduler.StartAsync(jobs, _state.Path, services, NullLogger.Instance, CancellationToken.None);
    }

    [Fact]
    public async Task A_cron_job_runs_at_its_time_in_its_time_zone()
    {
        await using var scheduler = await StartAsync(Report("daily", cron: "0 0 9 * * ?", zone: "Europe/Berlin"));
        // 07:59 UTC is 08:59 in Berlin: the run is at 09:00 Berlin = 08:00 UTC.
        Assert.Equal(new DateTimeOffset(2099, 12, 7, 8, 0, 0, TimeSpan.Zero), await scheduler.NextRunAsync("daily"));
        var run = scheduler.WhenFinished(r => r.Job == "daily");

        _time.Advance(TimeSpan.FromMinutes(1));
        var record = await run.WaitAsync(Timeout);

        Assert.Equal(("succeeded", "schedule", new DateTimeOffset(2099, 12, 7, 8, 0, 0, TimeSpan.Zero)), (record.State, record.Cause, record.Started));
        Assert.Equal(("mail:ops", "report daily"), (_sent.Single().Target, _sent.Single().Title));
        Assert.Equal(new DateTimeOffset(2099, 12, 8, 8, 0, 0, TimeSpan.Zero), await scheduler.NextRunAsync("daily"));
    }

    [Fact]
    public async Task An_interval_job_runs_one_interval_after_start_and_then_every_interval()
    {
        await using var scheduler = await StartAsync(Report("often", interval: TimeSpan.FromMinutes(10)));
        Assert.Equal(_time.GetUtcNow().AddMinutes(10), await scheduler.NextRunAsync("often"));

        for (var i = 1; i <= 2; i++)
        {
            var run = scheduler.WhenFinished(r => r.Job == "often");
            _time.Advance(TimeSpan.FromMinutes(10));
            await run.WaitAsync(Timeout);
        }

        Assert.Equal(2, scheduler.Runs.History("often").Count);
    }

    [Fact]
    public async Task After_downtime_run_once_catches_up_with_one_run_at_start()
    {
        var job = Report("daily", cron: "0 0 8 * * ?", misfire: JobMisfire.RunOnce);
        await (await StartAsync(job)).DisposeAsync();
        _time.Advance(TimeSpan.FromDays(3)); // three runs missed while the hub was down

        await using var second = await StartAsync(job);
        var run = await second.WhenFinished(r => r.Job == "daily").WaitAsync(Timeout);

        Assert.Equal(("succeeded", "misfire"), (run.State, run.Cause));
        Assert.Equal(new DateTimeOffset(2099, 12, 10, 8, 0, 0, TimeSpan.Zero), await second.NextRunAsync("daily"));
        Assert.Single(second.Runs.History("daily"));
    }

    [Fact]
    public async Task After_downtime_skip_drops_the_missed_runs_and_waits_for_the_next_time()
    {
        var job = Report("daily", cron: "0 0 8 * * ?", misfire: JobMisfire.Skip);
        await (await StartAsync(job)).DisposeAsync();
        _time.Advance(TimeSpan.FromDays(3));

        await using var second = await StartAsync(job);
        var next = new DateTimeOffset(2099, 12, 10, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(next, await second.NextRunAsync("daily"));
        var run = second.WhenFinished(r => r.Job == "daily");
        _time.Advance(next - _time.GetUtcNow());
        var record = await run.WaitAsync(Timeout);

        Assert.Equal(("schedule", next), (record.Cause, record.Started));
        Assert.Single(second.Runs.History("daily"));
    }

    [Fact]
    public async Task The_next_fire_time_survives_a_restart_and_a_removed_job_leaves_the_store()
    {
        var weekly = Report("weekly", cron: "0 0 6 ? * MON");
        await (await StartAsync(weekly, Report("gone", interval: TimeSpan.FromHours(1)))).DisposeAsync();

        await using var second = await StartAsync(weekly);

        Assert.Equal(new DateTimeOffset(2099, 12, 14, 6, 0, 0, TimeSpan.Zero), await second.NextRunAsync("weekly"));
        var store = await JobScheduler.OpenAsync(_state.Path, _time, CancellationToken.None);
        Assert.Null(await store.GetJobDetail(new Quartz.JobKey("gone", "hub")));
        Assert.NotNull(await store.GetJobDetail(new Quartz.JobKey("weekly", "hub")));
    }

    [Fact]
    public async Task A_chained_job_runs_after_the_job_it_follows_with_its_output_at_hand()
    {
        await using var scheduler = await StartAsync(Report("first"), Report("second", after: ["first"]));
        var second = scheduler.WhenFinished(r => r.Job == "second");

        await scheduler.TriggerAsync("first");
        var record = await second.WaitAsync(Timeout);

        Assert.Equal(("succeeded", "chain"), (record.State, record.Cause));
        var firstOutput = scheduler.Runs.LastSuccess("first")!.Output!;
        Assert.Contains(System.Net.WebUtility.HtmlEncode(firstOutput), _sent.Single(s => s.Title == "report second").Message, StringComparison.Ordinal);
        Assert.Equal(["second", "first"], scheduler.Runs.History(null).Select(r => r.Job));
    }

    [Fact]
    public async Task A_failed_run_is_kept_with_its_error_and_its_followers_do_not_run()
    {
        await using var scheduler = await StartAsync(notify: false, Report("first"), Report("second", after: ["first"]));
        var run = scheduler.WhenFinished(r => r.Job == "first");

        await scheduler.TriggerAsync("first");
        var record = await run.WaitAsync(Timeout);

        Assert.Equal(("failed", "manual"), (record.State, record.Cause));
        Assert.Contains("no notification targets", record.Error, StringComparison.Ordinal);
        var stored = Assert.Single(scheduler.Runs.History(null));
        Assert.Equal(("first", "failed", record.Error), (stored.Job, stored.State, stored.Error));
        Assert.NotNull(stored.Duration);
    }
}
