using System.Collections.Concurrent;
using Hub.Analytics.Rules.Derived;
using Hub.Plugins;

namespace Hub.Analytics.Rules;

/// <summary>
/// The host side of <see cref="IAlarmAnalytics"/>: one per plugin instance, with the rules' per-key state (every
/// derived value, default settings) and clock, and their alarm lifecycle; its alarms belong to the rule <see cref="Name"/>.
/// </summary>
internal sealed class AnalyticsHost(string name, IAlarmLifecycle lifecycle, TimeProvider time, ISeasonalProfiles? profiles = null) : IAnalyticsHost
{
    private static readonly DerivedPlan Everything = new(
        DerivedNeeds.Previous | DerivedNeeds.Ewma | DerivedNeeds.Window | DerivedNeeds.Changed | DerivedNeeds.Baseline | DerivedNeeds.Anomaly,
        new DerivedOptions(),
        [(50, DerivedNames.Median)]);

    private static readonly string[] Names = [.. DerivedNames.Fixed.Where(n => DerivedNames.IsDerived(n) || n == "value")];

    private readonly ConcurrentDictionary<string, KeyState> states = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public TimeProvider TimeProvider { get; } = time;

    /// <summary>How many keys the plugin keeps state for.</summary>
    public int KeyCount => states.Count;

    public IReadOnlyDictionary<string, double> Derive(string key, double value, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slots = new double[DerivedNames.FixedCount];
        var state = states.GetOrAdd(key, static (k, p) => new KeyState(p?.Find(k)), profiles);
        lock (state)
        {
            state.Update(value, time, Everything, slots);
        }

        return Names.ToDictionary(n => n, n => slots[DerivedNames.SlotOf(n)], StringComparer.Ordinal);
    }

    public void Report(string key, DateTimeOffset time, double value, bool firing, bool recovered, IReadOnlyDictionary<string, string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal) { ["value"] = value };
        lifecycle.Observe(new RuleVerdict(Name, key, time, value, firing, recovered, null, values, labels ?? new Dictionary<string, string>()));
    }

    /// <summary>Attaches a host to every <see cref="IAlarmAnalytics"/> instance among <paramref name="instances"/> (by service name).</summary>
    public static void AttachAll(IReadOnlyDictionary<string, object> instances, IAlarmLifecycle lifecycle, TimeProvider time, ISeasonalProfiles? profiles)
    {
        foreach (var (service, instance) in instances)
        {
            if (instance is IAlarmAnalytics analytics)
            {
                analytics.Attach(new AnalyticsHost(service, lifecycle, time, profiles));
            }
        }
    }
}
