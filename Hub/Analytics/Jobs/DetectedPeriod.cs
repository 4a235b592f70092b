namespace Hub.Analytics.Jobs;

/// <summary>A period found in a series' spectrum.</summary>
/// <param name="Period">The period (a whole number of grid steps).</param>
/// <param name="Power">Its share of the strongest peak's power (1 for the strongest).</param>
internal sealed record DetectedPeriod(TimeSpan Period, double Power);
