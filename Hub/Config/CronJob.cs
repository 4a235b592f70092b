using Hub.Functions;

namespace Hub.Config;

/// <summary>One <c>[cron]</c> line bound to its function.</summary>
internal sealed record CronJob(CronEntry Entry, BoundFunction Function, HookContext Context);
