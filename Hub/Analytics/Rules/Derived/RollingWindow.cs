namespace Hub.Analytics.Rules.Derived;

/// <summary>
/// A key's recent samples over a time span or a count, at most <see cref="DerivedOptions.MaxWindowSamples"/>: the
/// rolling mean, min, max, stdev, count and percentiles. The ring grows as samples come, so a sparse key stays small.
/// </summary>
internal sealed class RollingWindow(TimeSpan? span, int? count)
{
    private readonly int limit = Math.Min(count ?? DerivedOptions.MaxWindowSamples, DerivedOptions.MaxWindowSamples);
    private double[] values = new double[4];
    private long[] ticks = new long[4];
    private int start;
    private int size;

    public int Count => size;

    /// <summary>Drops what fell out of the span at <paramref name="now"/>, then writes the stats of the window before and after adding <paramref name="value"/>.</summary>
    public void Add(double value, DateTimeOffset now, double[] slots)
    {
        if (span is { } s)
        {
            var oldest = now.UtcTicks - s.Ticks;
            while (size > 0 && ticks[start] <= oldest)
            {
                start = (start + 1) % values.Length;
                size--;
            }
        }

        if (size == limit)
        {
            start = (start + 1) % values.Length;
            size--;
        }

        // The z-score compares the sample with the window before it, so a spike does not dilute its own score.
        double sum = 0, sumSquares = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (var i = 0; i < size; i++)
        {
            var x = values[(start + i) % values.Length];
            sum += x;
            sumSquares += x * x;
            min = Math.Min(min, x);
            max = Math.Max(max, x);
        }

        var before = size;
        var meanBefore = before > 0 ? sum / before : double.NaN;
        var stdevBefore = before > 1 ? Math.Sqrt(Math.Max(0, (sumSquares - (sum * sum / before)) / (before - 1))) : double.NaN;
        slots[DerivedNames.Zscore] = stdevBefore > 0 ? (value - meanBefore) / stdevBefore : double.NaN;

        Append(value, now.UtcTicks);
        sum += value;
        sumSquares += value * value;
        slots[DerivedNames.Mean] = sum / size;
        slots[DerivedNames.Min] = Math.Min(min, value);
        slots[DerivedNames.Max] = Math.Max(max, value);
        slots[DerivedNames.Stdev] = size > 1 ? Math.Sqrt(Math.Max(0, (sumSquares - (sum * sum / size)) / (size - 1))) : 0;
        slots[DerivedNames.Count] = size;
    }

    /// <summary>The percentiles (0..100) of the window, linear between ranks, into their slots.</summary>
    public void Percentiles(ReadOnlySpan<(double Percentile, int Slot)> wanted, double[] slots)
    {
        var sorted = new double[size];
        for (var i = 0; i < size; i++)
        {
            sorted[i] = values[(start + i) % values.Length];
        }

        Array.Sort(sorted);
        foreach (var (percentile, slot) in wanted)
        {
            slots[slot] = Quantile(sorted, percentile / 100);
        }
    }

    public static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = q * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    private void Append(double value, long at)
    {
        if (size == values.Length)
        {
            var capacity = Math.Min(values.Length * 2, limit);
            var grownValues = new double[capacity];
            var grownTicks = new long[capacity];
            for (var i = 0; i < size; i++)
            {
                grownValues[i] = values[(start + i) % values.Length];
                grownTicks[i] = ticks[(start + i) % values.Length];
            }

            (values, ticks, start) = (grownValues, grownTicks, 0);
        }

        var index = (start + size) % values.Length;
        values[index] = value;
        ticks[index] = at;
        size++;
    }
}
