namespace Hub.Plugins;

/// <summary>
/// An analytics stage that raises alarms through the hub's alarm lifecycle (the one rules use: pending, firing,
/// recovering, flapping, repeat, grouping, silences). The host calls <see cref="Attach"/> once, before the first
/// <see cref="IAnalytics.ObserveAsync"/>; the plugin then reports its verdicts per key to the host it was given.
/// </summary>
public interface IAlarmAnalytics : IAnalytics
{
    /// <summary>Gives the plugin its host: per-key derived values, the clock, and the alarm lifecycle.</summary>
    void Attach(IAnalyticsHost host);
}
