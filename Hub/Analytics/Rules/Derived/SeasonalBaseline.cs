namespace Hub.Analytics.Rules.Derived;

/// <summary>
/// What is normal for one key at this hour of the week (168 buckets) and, while the week is still being learned, at
/// this hour of the day (24 buckets), learned online: an exponentially weighted mean and variance per bucket whose
/// weight is 1/n for the first 255 samples of the bucket, then 1/255. Buckets are phases of the period since the Unix
/// epoch in UTC, as in <see cref="SeasonalProfile"/>, so a profile learned from history seeds them directly.
/// </summary>
internal sealed class SeasonalBaseline
{
    /// <summary>A bucket speaks for "normal" once it has seen this many samples.</summary>
    public const int MatureCount = 3;

    private const int WeekBuckets = 168;
    private const int BucketCount = WeekBuckets + 24;
    private const long HourTicks = TimeSpan.TicksPerHour;

    private readonly float[] mean = new float[BucketCount];
    private readonly float[] variance = new float[BucketCount];
    private readonly byte[] count = new byte[BucketCount];

    /// <summary>A baseline seeded from <paramref name="profile"/> (its bucket at the middle of each hour), or empty.</summary>
    public SeasonalBaseline(SeasonalProfile? profile)
    {
        if (profile is null || profile.Mean.Length == 0 || profile.Period <= TimeSpan.Zero)
        {
            return;
        }

        for (var bucket = 0; bucket < BucketCount; bucket++)
        {
            var hour = bucket < WeekBuckets ? bucket : bucket - WeekBuckets;
            var phase = (((hour * HourTicks) + (HourTicks / 2)) % profile.Period.Ticks) / (double)profile.Period.Ticks;
            var index = Math.Min((int)(phase * profile.Mean.Length), profile.Mean.Length - 1);
            if (profile.Count[index] > 0)
            {
                mean[bucket] = (float)profile.Mean[index];
                variance[bucket] = (float)(profile.Spread[index] * profile.Spread[index]);
                count[bucket] = (byte)Math.Min(profile.Count[index], byte.MaxValue);
            }
        }
    }

    /// <summary>
    /// The normal value and spread at <paramref name="time"/>: the hour of the week once it has <paramref name="mature"/>
    /// samples, else the hour of the day once it has, else NaN.
    /// </summary>
    public (double Baseline, double Spread) Peek(DateTimeOffset time, int mature = MatureCount)
    {
        var (week, day) = Buckets(time);
        var known = count[week] >= mature ? week : count[day] >= mature ? day : -1;
        return known < 0 ? (double.NaN, double.NaN) : (mean[known], Math.Sqrt(variance[known]));
    }

    /// <summary>Learns <paramref name="value"/> into the hour of the week and the hour of the day of <paramref name="time"/>.</summary>
    public void Learn(double value, DateTimeOffset time)
    {
        var (week, day) = Buckets(time);
        Learn(week, value);
        Learn(day, value);
    }

    private static (int Week, int Day) Buckets(DateTimeOffset time)
    {
        var hours = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / HourTicks;
        return ((int)(((hours % WeekBuckets) + WeekBuckets) % WeekBuckets), WeekBuckets + (int)(((hours % 24) + 24) % 24));
    }

    private void Learn(int bucket, double value)
    {
        var n = count[bucket];
        if (n >= MatureCount)
        {
            // An outlier moves the bucket as a 4-sigma value would: a spike does not become normal.
            var limit = 4 * Math.Sqrt(variance[bucket]);
            value = Math.Clamp(value, mean[bucket] - limit, mean[bucket] + limit);
        }

        if (n < byte.MaxValue)
        {
            count[bucket] = ++n;
        }

        var weight = 1.0 / n;
        var difference = value - mean[bucket];
        mean[bucket] = (float)(mean[bucket] + (weight * difference));
        variance[bucket] = n == 1 ? 0 : (float)((1 - weight) * (variance[bucket] + (weight * difference * difference)));
    }
}
