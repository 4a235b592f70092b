using MathNet.Numerics.Distributions;

namespace Hub.Analytics.Jobs;

/// <summary>
/// Additive Holt-Winters (triple exponential smoothing): level, trend and a season of <c>m</c> steps. The smoothing
/// parameters are chosen by a grid search minimising the one-step-ahead squared error; the prediction band of step
/// <c>h</c> is <c>z * sigma * sqrt(1 + sum_{j&lt;h} c_j^2)</c> with <c>c_j = alpha (1 + j beta) + gamma [j mod m = 0]</c>
/// (Hyndman et al., the additive model's forecast variance).
/// </summary>
internal static class HoltWinters
{
    private static readonly double[] Grid = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];

    /// <summary>Fits <paramref name="series"/> with a season of <paramref name="season"/> steps and forecasts <paramref name="horizon"/> steps; null with less than two seasons of data.</summary>
    public static HoltWintersModel? Fit(RegularSeries series, int season, int horizon, double confidence)
    {
        var y = series.Values;
        if (season < 1 || y.Length < 2 * season || horizon < 1)
        {
            return null;
        }

        (double Sse, double A, double B, double G) best = (double.PositiveInfinity, 0, 0, 0);
        foreach (var a in Grid)
        {
            foreach (var b in Grid.Where(v => v <= 0.5))
            {
                foreach (var g in Grid)
                {
                    var sse = Run(y, season, a, b, g, out _, out _, out _);
                    if (sse < best.Sse)
                    {
                        best = (sse, a, b, g);
                    }
                }
            }
        }

        var (_, alpha, beta, gamma) = best;
        var error = Run(y, season, alpha, beta, gamma, out var level, out var trend, out var seasonal);
        var sigma = Math.Sqrt(error / (y.Length - season));
        var z = Normal.InvCDF(0, 1, 0.5 + (Math.Clamp(confidence, 0.5, 0.9999) / 2));
        var forecast = new List<ForecastPoint>(horizon);
        var variance = 0.0;
        var end = series.TimeAt(y.Length);
        for (var h = 1; h <= horizon; h++)
        {
            var value = level + (h * trend) + seasonal[(y.Length + h - 1) % season];
            var width = z * sigma * Math.Sqrt(1 + variance);
            forecast.Add(new ForecastPoint(end + (series.Step * (h - 1)), value, value - width, value + width));
            var c = (alpha * (1 + (h * beta))) + (h % season == 0 ? gamma : 0);
            variance += c * c;
        }

        return new HoltWintersModel(alpha, beta, gamma, level, trend, sigma, forecast);
    }

    /// <summary>Runs the smoothing over <paramref name="y"/>; returns the sum of squared one-step errors after the first season.</summary>
    private static double Run(double[] y, int m, double alpha, double beta, double gamma, out double level, out double trend, out double[] seasonal)
    {
        // Start: the first season's mean as level, the mean change between the first two seasons as trend.
        var first = y.Take(m).Average();
        var second = y.Skip(m).Take(m).Average();
        level = first;
        trend = (second - first) / m;
        seasonal = new double[m];
        for (var i = 0; i < m; i++)
        {
            seasonal[i] = y[i] - first;
        }

        var sse = 0.0;
        for (var t = m; t < y.Length; t++)
        {
            var s = seasonal[t % m];
            var predicted = level + trend + s;
            var e = y[t] - predicted;
            sse += e * e;
            var previousLevel = level;
            level = (alpha * (y[t] - s)) + ((1 - alpha) * (level + trend));
            trend = (beta * (level - previousLevel)) + ((1 - beta) * trend);
            seasonal[t % m] = (gamma * (y[t] - level)) + ((1 - gamma) * s);
        }

        return sse;
    }
}
