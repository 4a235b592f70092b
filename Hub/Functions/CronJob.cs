using Hub.Config;

namespace Hub.Functions;

/// <summary>One <c>[cron]</c> line bound to its function.</summary>
internal sealed record CronJob(CronEntry Entry, BoundFunction Function, HookContext Context);
