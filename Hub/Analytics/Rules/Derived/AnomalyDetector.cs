namespace Hub.Analytics.Rules.Derived;

/// <summary>
/// The built-in detector for one-value streams (docs/rules.md, "anomaly"), with fixed defaults. Two robust scores:
/// the sample against the median and MAD of the key's last <see cref="Window"/> samples (sudden change), and, once the
/// seasonal baseline has seen <see cref="SeasonalCount"/> samples of this hour, against the mean and spread of that
/// hour (unusual for this time of day/week). The smaller counts: a sample must be unusual both for the last hours and
/// for this time, so a daily peak that comes every day stops paging once learned, and a new level stops being
/// anomalous once the window has taken it. Score <c>z² / (z² + Z²)</c> in [0, 1]; anomalous at <c>z ≥ Z</c> (score
/// 0.5). Memory: one ring of 64 floats.
/// </summary>
internal sealed class AnomalyDetector
{
    /// <summary>How many recent samples the robust statistics use.</summary>
    public const int Window = 64;

    /// <summary>No score before this many samples.</summary>
    public const int WarmUp = 16;

    /// <summary>The robust z-score at which a sample is anomalous (score 0.5).</summary>
    public const double Z = 5;

    /// <summary>The seasonal score counts once the hour's bucket has seen this many samples.</summary>
    public const int SeasonalCount = 12;

    private readonly float[] values = new float[Window];
    private int valueCount;

    /// <summary>Scores <paramref name="value"/> against the recent samples and the season (<paramref name="normal"/> ± <paramref name="spread"/>, NaN when not known), then remembers it.</summary>
    public double Score(double value, double normal, double spread)
    {
        var z = Robust(values, valueCount, value);
        if (!double.IsNaN(z) && !double.IsNaN(normal) && !double.IsNaN(spread))
        {
            var distance = Math.Abs(value - normal);
            var zSeason = spread > 0 ? distance / spread : distance <= 1e-9 * Math.Max(1, Math.Abs(normal)) ? 0 : double.PositiveInfinity;
            z = Math.Min(z, zSeason);
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

        Span<float> window = stackalloc float[Window];
        window = window[..n];
        ring.AsSpan(0, n).CopyTo(window);
        var median = Median(window);
        double meanAbsolute = 0;
        for (var i = 0; i < n; i++)
        {
            window[i] = Math.Abs(window[i] - (float)median);
            meanAbsolute += window[i];
        }

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

    /// <summary>The median by selection (Hoare), O(n); reorders <paramref name="values"/>.</summary>
    private static double Median(Span<float> values)
    {
        var half = values.Length / 2;
        var upper = Select(values, half);
        if (values.Length % 2 == 1)
        {
            return upper;
        }

        // After selection everything left of the middle is at most the middle: the lower median is their largest.
        var lower = float.NegativeInfinity;
        foreach (var value in values[..half])
        {
            lower = Math.Max(lower, value);
        }

        return (lower + (double)upper) / 2;
    }

    private static float Select(Span<float> values, int k)
    {
        int left = 0, right = values.Length - 1;
        while (left < right)
        {
            var pivot = values[(left + right) >>> 1];
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                break;
            }
        }

        return values[k];
    }
}
