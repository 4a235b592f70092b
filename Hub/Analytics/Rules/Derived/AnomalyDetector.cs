namespace Hub.Analytics.Rules.Derived;

/// <summary>
/// The built-in detector for one-value streams (docs/rules.md, "anomaly"), with fixed defaults: a robust z-score of the
/// sample against the median and MAD of the key's last <see cref="Window"/> samples, and the same score of its seasonal
/// residual (value minus <c>baseline</c>) against the last residuals once the baseline speaks for this hour. The
/// smaller of the two counts: a sample must be unusual both for the last hour and for this time of day/week, so a daily
/// peak that comes every day stops paging once learned. Score <c>z² / (z² + Z²)</c> is in [0, 1); anomalous at
/// <c>z ≥ Z</c> (score ≥ 0.5). Memory: two rings of 64 floats.
/// </summary>
internal sealed class AnomalyDetector
{
    /// <summary>How many recent samples (and residuals) the robust statistics use.</summary>
    public const int Window = 64;

    /// <summary>No score before this many samples.</summary>
    public const int WarmUp = 16;

    /// <summary>The robust z-score at which a sample is anomalous (score 0.5).</summary>
    public const double Z = 5;

    private readonly float[] values = new float[Window];
    private readonly float[] residuals = new float[Window];
    private int valueCount;
    private int residualCount;

    /// <summary>Scores <paramref name="value"/> (with its residual from the baseline, NaN when unknown), then remembers both.</summary>
    public double Score(double value, double residual)
    {
        var z = Robust(values, valueCount, value);
        if (!double.IsNaN(residual))
        {
            var zResidual = Robust(residuals, residualCount, residual);
            if (!double.IsNaN(zResidual))
            {
                z = double.IsNaN(z) ? zResidual : Math.Min(z, zResidual);
            }

            residuals[residualCount++ % Window] = (float)residual;
            residualCount = residualCount >= 2 * Window ? Window + (residualCount % Window) : residualCount;
        }

        values[valueCount++ % Window] = (float)value;
        valueCount = valueCount >= 2 * Window ? Window + (valueCount % Window) : valueCount;
        return double.IsNaN(z) ? 0 : double.IsPositiveInfinity(z) ? 1 : z * z / ((z * z) + (Z * Z));
    }

    /// <summary>|x - median| / (1.4826 MAD), with the mean absolute deviation (×1.2533) when the MAD is 0; NaN while warming up.</summary>
    private static double Robust(float[] ring, int seen, double x)
    {
        var n = Math.Min(seen, Window);
        if (n < WarmUp)
        {
            return double.NaN;
        }

        Span<float> scratch = stackalloc float[Window];
        var window = scratch[..n];
        ring.AsSpan(0, n).CopyTo(window);
        window.Sort();
        var median = Median(window);
        double meanAbsolute = 0;
        for (var i = 0; i < n; i++)
        {
            window[i] = Math.Abs(window[i] - (float)median);
            meanAbsolute += window[i];
        }

        window.Sort();
        var scale = 1.4826 * Median(window);
        if (scale <= 0)
        {
            scale = 1.2533 * meanAbsolute / n;
        }

        var distance = Math.Abs(x - median);
        if (scale <= 0)
        {
            return distance <= 1e-9 * Math.Max(1, Math.Abs(median)) ? 0 : double.PositiveInfinity;
        }

        return distance / scale;
    }

    private static double Median(Span<float> sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + (double)sorted[sorted.Length / 2]) / 2;
}
