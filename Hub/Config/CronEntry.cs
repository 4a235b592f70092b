namespace Hub.Config;

/// <summary>One <c>[cron]</c> line.</summary>
public sealed record CronEntry(string FunctionName, double IntervalSeconds, bool Now, SourceLocation Location);
