namespace Hub.Analytics;

/// <summary>The lifecycle used until one is provided: it takes the verdicts and does nothing with them.</summary>
internal sealed class NullAlarmLifecycle : IAlarmLifecycle
{
    public static readonly NullAlarmLifecycle Instance = new();

    public void Observe(RuleVerdict verdict)
    {
    }

    public void Advance(DateTimeOffset now)
    {
    }
}
