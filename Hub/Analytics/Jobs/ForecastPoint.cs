namespace Hub.Analytics.Jobs;

/// <summary>One step of a forecast with its prediction band.</summary>
/// <param name="Time">The step's time.</param>
/// <param name="Value">The point forecast.</param>
/// <param name="Lower">The band's lower edge.</param>
/// <param name="Upper">The band's upper edge.</param>
internal readonly record struct ForecastPoint(DateTimeOffset Time, double Value, double Lower, double Upper);
