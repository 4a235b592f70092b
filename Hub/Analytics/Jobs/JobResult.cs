namespace Hub.Analytics.Jobs;

/// <summary>What a successful run leaves: a one-line summary (for <c>hub jobs history</c>) and its output as JSON (handed to the jobs chained after it).</summary>
internal sealed record JobResult(string Summary, string Output);
