namespace Hub.Analytics.Rules.Derived;

/// <summary>
/// What one rule keeps for one key between samples: the previous sample, the ewma, the last reported value and, only
/// when the rule reads them, a rolling window, a seasonal baseline and the anomaly detector. Not thread-safe: the
/// evaluator locks it while a sample updates it.
/// A baseline starts from <c>profile</c> (learned from history) when there is one.
/// </summary>
internal sealed class KeyState(SeasonalProfile? profile)
{
    private double previous = double.NaN;
    private long previousTicks;
    private double ewma = double.NaN;
    private double reported = double.NaN;
    private RollingWindow? window;
    private SeasonalBaseline? baseline;
    private AnomalyDetector? detector;

    /// <summary>The time of the key's latest sample (event time when the rule takes it from the payload).</summary>
    public DateTimeOffset LastSeen { get; private set; }

    /// <summary>Updates the state with one sample and writes the derived values the rule needs into <paramref name="slots"/>.</summary>
    public void Update(double value, DateTimeOffset time, DerivedPlan plan, double[] slots)
    {
        var needs = plan.Needs;
        slots[DerivedNames.Value] = value;
        if ((needs & DerivedNeeds.Previous) != 0)
        {
            var elapsed = double.IsNaN(previous) ? double.NaN : (time.UtcTicks - previousTicks) / (double)TimeSpan.TicksPerSecond;
            slots[DerivedNames.Previous] = previous;
            slots[DerivedNames.Delta] = value - previous;
            slots[DerivedNames.Elapsed] = elapsed;
            slots[DerivedNames.Rate] = elapsed > 0 ? (value - previous) / elapsed : double.NaN;
            previous = value;
            previousTicks = time.UtcTicks;
        }

        if ((needs & DerivedNeeds.Ewma) != 0)
        {
            ewma = double.IsNaN(ewma) ? value : ewma + (plan.Options.EwmaAlpha * (value - ewma));
            slots[DerivedNames.Ewma] = ewma;
        }

        if ((needs & DerivedNeeds.Changed) != 0)
        {
            var changed = double.IsNaN(reported) || Math.Abs(value - reported) > plan.Options.Deadband;
            reported = changed ? value : reported;
            slots[DerivedNames.Changed] = changed ? 1 : 0;
        }

        if ((needs & DerivedNeeds.Window) != 0)
        {
            window ??= new RollingWindow(plan.Options.WindowCount is null ? plan.Options.WindowSpan : null, plan.Options.WindowCount);
            window.Add(value, time, slots);
            if (plan.Percentiles.Length > 0)
            {
                window.Percentiles(plan.Percentiles, slots);
            }
        }

        if ((needs & DerivedNeeds.Baseline) != 0)
        {
            baseline ??= new SeasonalBaseline(profile);
            var (normal, spread) = baseline.Peek(time);
            slots[DerivedNames.Baseline] = normal;
            slots[DerivedNames.BaselineStdev] = spread;
            slots[DerivedNames.Deviation] = normal == 0 ? double.NaN : (value - normal) / Math.Abs(normal);
            if ((needs & DerivedNeeds.Anomaly) != 0)
            {
                detector ??= new AnomalyDetector();
                var seasonal = baseline.Peek(time, AnomalyDetector.SeasonalCount);
                var score = detector.Score(value, seasonal.Baseline, seasonal.Spread);
                slots[DerivedNames.Anomaly] = score;
                slots[DerivedNames.Anomalous] = score >= 0.5 ? 1 : 0;
            }

            baseline.Learn(value, time);
        }

        LastSeen = time;
    }
}
