namespace Hub.Analytics.Jobs;

/// <summary>Runs one job of a built-in kind.</summary>
internal static class JobRunner
{
    public static async ValueTask<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken) => context.Options.Kind switch
    {
        JobKinds.Profile => ProfileJob.Run(context),
        JobKinds.Forecast => await ForecastJob.RunAsync(context, cancellationToken).ConfigureAwait(false),
        JobKinds.Correlation => await CorrelationJob.RunAsync(context, cancellationToken).ConfigureAwait(false),
        JobKinds.Report => await ReportJob.RunAsync(context, cancellationToken).ConfigureAwait(false),
        _ => throw new InvalidOperationException($"unknown job kind '{context.Options.Kind}'"),
    };
}
