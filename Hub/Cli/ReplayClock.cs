namespace Hub.Cli;

/// <summary>The virtual clock of <c>hub replay</c>: event time, moved forward by the data (never back).</summary>
internal sealed class ReplayClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void MoveTo(DateTimeOffset time)
    {
        if (time > _now)
        {
            _now = time;
        }
    }
}
