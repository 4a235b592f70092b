using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Hub.Analytics.Jobs;

/// <summary>
/// <c>kind = forecast</c>: for each series, fits an additive Holt-Winters model to <c>window</c> of history on a grid of
/// <c>step</c> with a season of <c>season</c>, forecasts <c>horizon</c> with a <c>confidence</c> prediction band, and
/// publishes it (retained) to <c>topic</c>. With <c>above</c>/<c>below</c>, a forecast that crosses the threshold within
/// the horizon is a trend alarm: a <see cref="RuleVerdict"/> for rule <c>job:NAME</c>, key = the series, into the alarm
/// lifecycle; a forecast that does not cross clears it.
/// </summary>
internal static class ForecastJob
{
    public static async ValueTask<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var (window, step, season, horizon) = (options.Duration("window"), options.Duration("step"), options.Duration("season"), options.Duration("horizon"));
        var (above, below) = (options.Number("above"), options.Number("below"));
        var from = context.Now - window;
        var published = new List<string>();
        var alarms = new List<string>();
        foreach (var series in context.MatchingSeries())
        {
            var grid = RegularSeries.From(context.Samples(series, from, context.Now), from, context.Now, step);
            var model = grid is null ? null : HoltWinters.Fit(grid, (int)Math.Round(season / step), (int)Math.Ceiling(horizon / step), options.Number("confidence") ?? 0.95);
            if (model is null)
            {
                context.Services.Logger.LogInformation("Job {Job}: {Series} skipped (less than two seasons of data)", options.Name, series);
                continue;
            }

            var crossing = model.Forecast.FirstOrDefault(p => p.Value > above || p.Value < below);
            var crosses = crossing != default;
            var topic = context.Render(options.Setting("topic")!, series);
            var payload = JsonSerializer.Serialize(new
            {
                series,
                generated = context.Now,
                step = step.TotalSeconds,
                alpha = model.Alpha,
                beta = model.Beta,
                gamma = model.Gamma,
                sigma = model.Sigma,
                crossing = crosses ? new { time = crossing.Time, value = crossing.Value, threshold = crossing.Value > above ? above : below } : null,
                points = model.Forecast.Select(p => new { t = p.Time, value = Round(p.Value), lower = Round(p.Lower), upper = Round(p.Upper) }),
            });
            var publisher = context.Services.Publisher ?? throw new InvalidOperationException("no broker connection to publish the forecast on");
            await publisher.PublishAsync(topic, Encoding.UTF8.GetBytes(payload), 1, true, cancellationToken).ConfigureAwait(false);
            published.Add(topic);
            if (above is not null || below is not null)
            {
                var value = crosses ? crossing.Value : model.Forecast[^1].Value;
                var values = new Dictionary<string, object?> { ["value"] = value, ["above"] = above, ["below"] = below, ["horizon"] = horizon.TotalSeconds, ["crossing_time"] = crosses ? crossing.Time : null };
                var labels = new Dictionary<string, string> { ["job"] = options.Name, ["series"] = series, ["severity"] = options.Setting("severity") ?? "warning" };
                context.Services.Alarms.Observe(new RuleVerdict("job:" + options.Name, series, context.Now, value, crosses, !crosses, null, values, labels));
                if (crosses)
                {
                    alarms.Add(series);
                }
            }
        }

        var summary = string.Create(CultureInfo.InvariantCulture, $"{published.Count} forecasts published, {alarms.Count} crossing a threshold");
        return new JobResult(summary, JsonSerializer.Serialize(new { job = options.Name, topics = published, crossing = alarms }));
    }

    private static double Round(double value) => Math.Round(value, 6);
}
