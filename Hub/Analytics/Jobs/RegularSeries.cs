namespace Hub.Analytics.Jobs;

/// <summary>
/// A series on a regular grid (one value per <see cref="Step"/> from <see cref="Start"/>), gaps filled by linear
/// interpolation (the ends by the nearest value): what the FFT, Holt-Winters and correlation need.
/// </summary>
/// <param name="Start">The first step's time.</param>
/// <param name="Step">The grid's step.</param>
/// <param name="Values">One value per step.</param>
/// <param name="Observed">Which steps had a sample (the others were filled).</param>
internal sealed record RegularSeries(DateTimeOffset Start, TimeSpan Step, double[] Values, bool[] Observed)
{
    /// <summary>The time of step <paramref name="index"/>.</summary>
    public DateTimeOffset TimeAt(int index) => Start + Step * index;

    /// <summary>
    /// Places <paramref name="samples"/> (time, value; any order) on the grid [<paramref name="from"/>, <paramref name="to"/>)
    /// (a step holding several samples takes their mean) and fills the gaps; null when no sample falls in the range.
    /// </summary>
    public static RegularSeries? From(IEnumerable<(DateTimeOffset Time, double Value)> samples, DateTimeOffset from, DateTimeOffset to, TimeSpan step)
    {
        var count = (int)Math.Ceiling((to - from) / step);
        if (count <= 0)
        {
            return null;
        }

        var sums = new double[count];
        var counts = new int[count];
        foreach (var (time, value) in samples)
        {
            var index = (int)Math.Floor((time - from) / step);
            if (index >= 0 && index < count && double.IsFinite(value))
            {
                sums[index] += value;
                counts[index]++;
            }
        }

        var observed = counts.Select(c => c > 0).ToArray();
        if (!observed.Any(o => o))
        {
            return null;
        }

        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = observed[i] ? sums[i] / counts[i] : double.NaN;
        }

        Fill(values);
        return new RegularSeries(from, step, values, observed);
    }

    /// <summary>Replaces NaN by linear interpolation between the nearest known values (the ends by the nearest one).</summary>
    private static void Fill(double[] values)
    {
        var previous = -1;
        for (var i = 0; i <= values.Length; i++)
        {
            if (i < values.Length && double.IsNaN(values[i]))
            {
                continue;
            }

            for (var j = previous + 1; j < i; j++)
            {
                values[j] = (previous, i == values.Length) switch
                {
                    (< 0, _) => values[i],
                    (_, true) => values[previous],
                    _ => values[previous] + ((values[i] - values[previous]) * (j - previous) / (i - previous)),
                };
            }

            previous = i;
        }
    }
}
