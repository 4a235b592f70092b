using System.Text.Json;

namespace Hub.Analytics.Jobs;

/// <summary>
/// <c>kind = profile</c>: for each series, reads <c>window</c> of history on a grid of <c>step</c>, finds the dominant
/// periods with an FFT (or takes <c>periods =</c>), and stores the mean and spread per phase of the longest one as the
/// series' <see cref="SeasonalProfile"/> (one bucket per step of the period).
/// </summary>
internal static class ProfileJob
{
    public static JobResult Run(JobContext context)
    {
        var options = context.Options;
        var (window, step) = (options.Duration("window"), options.Duration("step"));
        var from = context.Now - window;
        var results = new List<object>();
        var learned = 0;
        foreach (var series in context.MatchingSeries())
        {
            var samples = context.Samples(series, from, context.Now).ToList();
            var grid = RegularSeries.From(samples, from, context.Now, step);
            if (grid is null)
            {
                continue;
            }

            var given = options.Durations("periods");
            var found = given.Count > 0
                ? given.Select(p => new DetectedPeriod(p, 1)).ToList()
                : PeriodFinder.Find(grid, options.Number("min_power") ?? 0.1);
            if (PeriodFinder.ProfilePeriod(found, window) is not { } period)
            {
                results.Add(new { series, periods = Array.Empty<double>(), learned = false });
                continue;
            }

            var buckets = Math.Max(1, (int)Math.Round(period / step));
            learned++;
            context.Services.Profiles.Save(ProfileLearner.Learn(series, samples, period, buckets, context.Now));
            results.Add(new { series, periods = found.Select(p => p.Period.TotalSeconds).ToArray(), power = found.Select(p => Math.Round(p.Power, 3)).ToArray(), period = period.TotalSeconds, buckets, samples = samples.Count, learned = true });
        }

        return new JobResult($"{learned} of {results.Count} series profiled", JsonSerializer.Serialize(new { job = options.Name, profiles = results }));
    }
}
