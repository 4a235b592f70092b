using Quartz;

namespace Hub.Scheduling;

/// <summary>The Quartz job: hands the run to the <see cref="JobScheduler"/> in the scheduler's context.</summary>
[DisallowConcurrentExecution]
internal sealed class QuartzJob : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var owner = (JobScheduler)context.Scheduler.Context[JobScheduler.ContextKey]!;
        var cause = context.MergedJobDataMap.GetString(JobScheduler.CauseKey)
            ?? (context.ScheduledFireTimeUtc is { } scheduled && context.FireTimeUtc - scheduled > TimeSpan.FromMinutes(1) ? "misfire" : "schedule");
        await owner.ExecuteAsync(context.JobDetail.Key.Name, cause, cancellationToken).ConfigureAwait(false);
    }
}
