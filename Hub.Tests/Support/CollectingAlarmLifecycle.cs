using System.Collections.Concurrent;
using Hub.Analytics;

namespace Hub.Tests.Support;

/// <summary>An alarm lifecycle that keeps every verdict it is given, for assertions.</summary>
internal sealed class CollectingAlarmLifecycle : IAlarmLifecycle
{
    public ConcurrentQueue<RuleVerdict> Verdicts { get; } = new();

    public void Observe(RuleVerdict verdict) => Verdicts.Enqueue(verdict);

    public void Advance(DateTimeOffset now)
    {
    }
}
