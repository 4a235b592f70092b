using System.CommandLine;
using System.Globalization;
using Hub.Analytics.Jobs;
using Hub.Config;
using Hub.Config.Values;
using Hub.Scheduling;

namespace Hub.Cli;

/// <summary>
/// <c>hub jobs list|run NAME|history [NAME]</c> (docs/jobs.md). They read the job store in the state directory directly
/// (Quartz's <c>jobs.db</c> and the run log <c>job-runs.db</c>), so they work whether the hub runs or not; <c>run</c> queues
/// a run in the store, which the running hub picks up within 5 s, and waits for its record.
/// </summary>
internal static class JobsCommand
{
    public static Command Create(Option<string?> config, Func<CliContext> cli)
    {
        var jobs = new Command("jobs", "The [job:NAME] jobs: schedules, next and last runs, run history, runs on demand");

        var list = new Command("list", "Each job: kind, schedule, chain, misfire policy, next run, last run");
        list.SetAction((r, ct) => CliApp.Guard(cli(), () => ListAsync(r.GetValue(config), cli(), ct)));
        jobs.Subcommands.Add(list);

        var name = new Argument<string>("NAME") { Description = "The job (NAME of [job:NAME])" };
        var wait = new Option<string>("--wait") { Description = "How long to wait for the run to finish (default 120s; 0: queue and return)", DefaultValueFactory = _ => "120s" };
        var run = new Command("run", "Run a job now: queued in the job store for the running hub, then its result") { name, wait };
        run.SetAction((r, ct) => CliApp.Guard(cli(), () => RunAsync(r.GetValue(config), r.GetValue(name)!, r.GetValue(wait)!, cli(), ct)));
        jobs.Subcommands.Add(run);

        var job = new Argument<string?>("NAME") { Description = "Only this job's runs", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<int>("--limit", "-n") { Description = "How many runs (newest first; default 20)", DefaultValueFactory = _ => 20 };
        var history = new Command("history", "The latest runs: job, cause, start, duration, state, error or summary") { job, limit };
        history.SetAction(r => CliApp.Guard(cli(), () => Task.FromResult(History(r.GetValue(config), r.GetValue(job), r.GetValue(limit), cli()))).GetAwaiter().GetResult());
        jobs.Subcommands.Add(history);
        return jobs;
    }

    private static string StateDirectory(HubConfig config) => config.Defaults.StateDirectory ?? Path.Combine(config.Directory, ".hub-state");

    private static async Task<int> ListAsync(string? configOption, CliContext cli, CancellationToken cancellationToken)
    {
        if (ConfigSource.Load(configOption, cli, printWarnings: false) is not { } config)
        {
            return ExitCodes.ConfigError;
        }

        var state = StateDirectory(config);
        var runs = JobRunLog.Open(Path.Combine(state, JobRunLog.FileName), recover: false);
        var store = await JobScheduler.OpenAsync(state, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        try
        {
            var rows = new List<string[]>();
            foreach (var job in config.Jobs)
            {
                var next = (await store.GetTrigger(new Quartz.TriggerKey(job.Name, "hub"), cancellationToken).ConfigureAwait(false))?.NextFireTimeUtc;
                var last = runs.Last(job.Name);
                rows.Add([job.Name, job.Kind, Schedule(job), job.After.Count == 0 ? "-" : string.Join(",", job.After), job.Misfire == JobMisfire.Skip ? "skip" : "run_once",
                    Time(next), last is null ? "-" : $"{Time(last.Started)} {last.State}"]);
            }

            HistoryCommand.Print(["job", "kind", "schedule", "after", "misfire", "next", "last"], rows, "table", cli);
            return ExitCodes.Ok;
        }
        finally
        {
            await CloseAsync(store).ConfigureAwait(false);
        }
    }

    private static async Task<int> RunAsync(string? configOption, string name, string waitText, CliContext cli, CancellationToken cancellationToken)
    {
        if (ConfigSource.Load(configOption, cli, printWarnings: false) is not { } config)
        {
            return ExitCodes.ConfigError;
        }

        if (config.Jobs.All(j => j.Name != name) || !Durations.TryParse(waitText, out var wait))
        {
            cli.Error.WriteLine(config.Jobs.Any(j => j.Name == name)
                ? $"hub: --wait must be a duration such as 120s or 5m, not '{waitText}'"
                : $"hub: no job '{name}' (jobs: {string.Join(", ", config.Jobs.Select(j => j.Name))})");
            return ExitCodes.ConfigError;
        }

        var state = StateDirectory(config);
        var runs = JobRunLog.Open(Path.Combine(state, JobRunLog.FileName), recover: false);
        var before = runs.Last(name)?.Id ?? 0;
        var store = await JobScheduler.OpenAsync(state, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        try
        {
            await JobScheduler.QueueAsync(store, name, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await CloseAsync(store).ConfigureAwait(false);
        }

        cli.Out.WriteLine($"queued a run of {name}");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(wait);
        try
        {
            // The run happens in the hub's process: its record in the run log is the only signal this process can see.
            while (runs.Last(name) is not { } last || last.Id <= before || last.Finished is null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            cli.Out.WriteLine(wait == TimeSpan.Zero ? "not waiting for it" : $"no result within {waitText}: is the hub running? (it runs queued jobs when it starts)");
            return wait == TimeSpan.Zero ? ExitCodes.Ok : ExitCodes.Failure;
        }

        var run = runs.Last(name)!;
        cli.Out.WriteLine($"{run.Job} {run.State} in {Durations.Format(run.Duration ?? TimeSpan.Zero)}: {run.Error ?? run.Summary}");
        return run.State == "succeeded" ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static int History(string? configOption, string? job, int limit, CliContext cli)
    {
        if (ConfigSource.Load(configOption, cli, printWarnings: false) is not { } config)
        {
            return ExitCodes.ConfigError;
        }

        var runs = JobRunLog.Open(Path.Combine(StateDirectory(config), JobRunLog.FileName), recover: false);
        var rows = runs.History(job, limit).Select(r => new[]
        {
            r.Id.ToString(CultureInfo.InvariantCulture), r.Job, r.Cause, Time(r.Started),
            r.Duration is { } d ? Durations.Format(d) : "-", r.State, r.Error ?? r.Summary ?? "",
        }).ToList();
        HistoryCommand.Print(["run", "job", "cause", "started", "duration", "state", "result"], rows, "table", cli);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Shuts the store's scheduler down unless it is a started one: Quartz hands out one scheduler per name and process, so
    /// in the hub's own process (tests) this is the running hub's scheduler, which must go on.
    /// </summary>
    private static async Task CloseAsync(Quartz.IScheduler store)
    {
        if (store.Status != Quartz.SchedulerStatus.Running)
        {
            await store.Shutdown(false, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static string Schedule(JobOptions job) => job switch
    {
        { Cron: { } cron } => job.TimeZone == TimeZoneInfo.Utc ? cron : $"{cron} ({job.TimeZone.Id})",
        { Interval: { } interval } => "every " + Durations.Format(interval),
        _ => "-",
    };

    private static string Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
}
