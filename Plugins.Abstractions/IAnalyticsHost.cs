namespace Hub.Plugins;

/// <summary>
/// What the hub gives an <see cref="IAlarmAnalytics"/> plugin: the same per-key state and clock as the rules
/// (<c>[rule:NAME]</c>), and their alarm lifecycle. Alarms it raises belong to the rule named after the plugin
/// instance (the <c>NAME</c> of <c>[config:NAME]</c>). Safe to call from several threads.
/// </summary>
public interface IAnalyticsHost
{
    /// <summary>The clock the rules use (virtual in <c>hub replay</c>, fake in tests).</summary>
    TimeProvider TimeProvider { get; }

    /// <summary>
    /// Adds one sample of <paramref name="key"/> to its state and returns the derived values the rules know
    /// (<c>rate</c>, <c>delta</c>, <c>ewma</c>, <c>mean</c>, <c>min</c>, <c>max</c>, <c>stdev</c>, <c>count</c>,
    /// <c>zscore</c>, <c>changed</c>, <c>baseline</c>, <c>deviation</c>, <c>anomaly</c>, <c>anomalous</c> as 0 or 1, …);
    /// a value not known yet (e.g. <c>rate</c> on the first sample) is NaN. Memory per key is bounded.
    /// </summary>
    IReadOnlyDictionary<string, double> Derive(string key, double value, DateTimeOffset time);

    /// <summary>
    /// Hands one verdict on <paramref name="key"/> to the alarm lifecycle: <paramref name="firing"/> is the firing
    /// condition, <paramref name="recovered"/> the clear condition (pass <c>!firing</c> without hysteresis).
    /// </summary>
    void Report(string key, DateTimeOffset time, double value, bool firing, bool recovered, IReadOnlyDictionary<string, string>? labels = null);
}
