namespace Hub.Analytics.Jobs;

/// <summary>The alarm lifecycle used until one is wired into the runtime: takes verdicts and does nothing.</summary>
internal sealed class NoAlarmLifecycle : IAlarmLifecycle
{
    public static readonly NoAlarmLifecycle Instance = new();

    public void Observe(RuleVerdict verdict)
    {
    }

    public void Advance(DateTimeOffset now)
    {
    }
}
