namespace Hub.Analytics.Jobs;

/// <summary>A fitted additive Holt-Winters model and its forecast.</summary>
/// <param name="Alpha">Level smoothing.</param>
/// <param name="Beta">Trend smoothing.</param>
/// <param name="Gamma">Season smoothing.</param>
/// <param name="Level">The last level.</param>
/// <param name="Trend">The last trend (per step).</param>
/// <param name="Sigma">The standard deviation of the one-step-ahead errors.</param>
/// <param name="Forecast">The forecast, one point per step after the series' end.</param>
internal sealed record HoltWintersModel(double Alpha, double Beta, double Gamma, double Level, double Trend, double Sigma, IReadOnlyList<ForecastPoint> Forecast);
