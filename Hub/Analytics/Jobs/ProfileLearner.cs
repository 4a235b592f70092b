namespace Hub.Analytics.Jobs;

/// <summary>
/// Learns a <see cref="SeasonalProfile"/>: the mean and spread (standard deviation) of the samples in each phase bucket
/// of the period. A sample's phase is its Unix time (UTC) modulo the period, so bucket 0 of a daily profile starts at
/// 00:00 UTC and bucket 0 of a weekly one on Thursday 00:00 UTC (1970-01-01), which is how the rules read it.
/// </summary>
internal static class ProfileLearner
{
    /// <summary>The bucket of <paramref name="time"/> in a profile of <paramref name="buckets"/> buckets over <paramref name="period"/>.</summary>
    public static int BucketOf(DateTimeOffset time, TimeSpan period, int buckets)
    {
        var phase = time.ToUnixTimeMilliseconds() % (long)period.TotalMilliseconds;
        if (phase < 0)
        {
            phase += (long)period.TotalMilliseconds;
        }

        return (int)Math.Min(buckets - 1, phase * buckets / (long)period.TotalMilliseconds);
    }

    public static SeasonalProfile Learn(string series, IEnumerable<(DateTimeOffset Time, double Value)> samples, TimeSpan period, int buckets, DateTimeOffset now)
    {
        var count = new long[buckets];
        var mean = new double[buckets];
        var m2 = new double[buckets];
        foreach (var (time, value) in samples)
        {
            if (!double.IsFinite(value))
            {
                continue;
            }

            // Welford: one pass, stable.
            var b = BucketOf(time, period, buckets);
            count[b]++;
            var delta = value - mean[b];
            mean[b] += delta / count[b];
            m2[b] += delta * (value - mean[b]);
        }

        var spread = new double[buckets];
        for (var b = 0; b < buckets; b++)
        {
            spread[b] = count[b] > 1 ? Math.Sqrt(m2[b] / (count[b] - 1)) : 0;
            mean[b] = count[b] > 0 ? mean[b] : double.NaN;
        }

        return new SeasonalProfile(series, period, mean, spread, count, now);
    }
}
