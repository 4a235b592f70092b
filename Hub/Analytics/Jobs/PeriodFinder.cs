using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace Hub.Analytics.Jobs;

/// <summary>
/// Finds the dominant periods of a regular series with an FFT (MathNet.Numerics): the series is detrended (least-squares
/// line removed), transformed, and every local maximum of the power spectrum that repeats at least twice in the window
/// and has at least <c>minPower</c> of the strongest peak's power is a period.
/// </summary>
internal static class PeriodFinder
{
    /// <summary>The periods of <paramref name="series"/>, strongest first.</summary>
    public static IReadOnlyList<DetectedPeriod> Find(RegularSeries series, double minPower = 0.1)
    {
        var n = series.Values.Length;
        if (n < 8)
        {
            return [];
        }

        var detrended = Detrend(series.Values);
        var spectrum = detrended.Select(v => new Complex(v, 0)).ToArray();
        Fourier.Forward(spectrum, FourierOptions.Matlab);
        var power = new double[(n / 2) + 1];
        for (var k = 1; k < power.Length; k++)
        {
            power[k] = spectrum[k].Magnitude * spectrum[k].Magnitude;
        }

        // k = 1 is one cycle per window: not a period that repeated.
        var peaks = new List<(int K, double Power)>();
        for (var k = 2; k < power.Length; k++)
        {
            var left = power[k - 1];
            var right = k + 1 < power.Length ? power[k + 1] : 0;
            if (power[k] > left && power[k] >= right)
            {
                peaks.Add((k, power[k]));
            }
        }

        if (peaks.Count == 0)
        {
            return [];
        }

        var strongest = peaks.Max(p => p.Power);
        if (strongest <= 1e-12 * detrended.Sum(v => v * v))
        {
            return [];
        }

        return peaks.Where(p => p.Power >= minPower * strongest)
            .OrderByDescending(p => p.Power)
            .Select(p => new DetectedPeriod(series.Step * Math.Round((double)n / p.K), p.Power / strongest))
            .DistinctBy(p => p.Period)
            .ToList();
    }

    /// <summary>
    /// The period a profile should follow: the longest of <paramref name="periods"/> (a weekly profile holds the daily shape
    /// too), as long as the window holds it at least twice; null when there is none.
    /// </summary>
    public static TimeSpan? ProfilePeriod(IReadOnlyList<DetectedPeriod> periods, TimeSpan window) =>
        periods.Where(p => p.Period * 2 <= window).Select(p => (TimeSpan?)p.Period).Max();

    private static double[] Detrend(double[] values)
    {
        var n = values.Length;
        var meanX = (n - 1) / 2.0;
        var meanY = values.Average();
        double sxy = 0, sxx = 0;
        for (var i = 0; i < n; i++)
        {
            sxy += (i - meanX) * (values[i] - meanY);
            sxx += (i - meanX) * (i - meanX);
        }

        var slope = sxx == 0 ? 0 : sxy / sxx;
        return values.Select((v, i) => v - meanY - (slope * (i - meanX))).ToArray();
    }
}
