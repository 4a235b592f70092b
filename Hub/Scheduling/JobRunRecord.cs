namespace Hub.Scheduling;

/// <summary>One run of a job as the run log keeps it.</summary>
/// <param name="Id">The run's number.</param>
/// <param name="Job">The job's name.</param>
/// <param name="Kind">The job's kind.</param>
/// <param name="Cause">Why it ran: <c>schedule</c>, <c>misfire</c> (a catch-up run after downtime), <c>chain</c> or <c>manual</c>.</param>
/// <param name="Started">When it started.</param>
/// <param name="Finished">When it ended; null while running.</param>
/// <param name="State"><c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>interrupted</c> (the hub stopped during it).</param>
/// <param name="Error">Why it failed, else null.</param>
/// <param name="Summary">The job's one-line summary, else null.</param>
/// <param name="Output">The job's output (JSON), else null.</param>
internal sealed record JobRunRecord(long Id, string Job, string Kind, string Cause, DateTimeOffset Started, DateTimeOffset? Finished, string State, string? Error, string? Summary, string? Output)
{
    /// <summary>How long it ran (so far, when still running: null).</summary>
    public TimeSpan? Duration => Finished - Started;
}
