using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Hub.Analytics.Jobs;

/// <summary>
/// <c>kind = correlation</c>: Pearson correlation of the matching series over <c>window</c> on a grid of <c>step</c>,
/// clustered (average linkage, cut at <c>threshold</c>), published as JSON (retained) to <c>topic</c> and, with
/// <c>targets</c>, sent as a notification.
/// </summary>
internal static class CorrelationJob
{
    public static async ValueTask<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var (window, step) = (options.Duration("window"), options.Duration("step"));
        var from = context.Now - window;
        var series = new List<(string Name, double[] Values)>();
        foreach (var name in context.MatchingSeries())
        {
            if (RegularSeries.From(context.Samples(name, from, context.Now), from, context.Now, step) is { } grid)
            {
                // Only observed steps count: a filled gap would invent agreement.
                series.Add((name, grid.Values.Select((v, i) => grid.Observed[i] ? v : double.NaN).ToArray()));
            }
        }

        var result = KpiCorrelation.Compute(series, options.Number("threshold") ?? 0.8);
        var payload = ToJson(options.Name, context.Now, result);
        var publisher = context.Services.Publisher ?? throw new InvalidOperationException("no broker connection to publish the correlation on");
        await publisher.PublishAsync(context.Render(options.Setting("topic")!), Encoding.UTF8.GetBytes(payload), 1, true, cancellationToken).ConfigureAwait(false);
        var summary = string.Create(CultureInfo.InvariantCulture, $"{result.Series.Count} series in {result.Clusters.Count} clusters");
        foreach (var target in options.Names("targets"))
        {
            var notify = context.Services.Notify ?? throw new InvalidOperationException("no notification targets in this process");
            var text = string.Join("\n", result.Clusters.Select((c, i) => $"cluster {i + 1}: {string.Join(", ", c)}"));
            await notify(target, $"KPI correlation: {options.Name}", text, new Dictionary<string, object?> { ["json"] = payload }, cancellationToken).ConfigureAwait(false);
        }

        return new JobResult(summary, payload);
    }

    public static string ToJson(string job, DateTimeOffset now, CorrelationResult result)
    {
        var pairs = new List<object>();
        for (var i = 0; i < result.Series.Count; i++)
        {
            for (var j = i + 1; j < result.Series.Count; j++)
            {
                var r = result.Matrix[i, j];
                pairs.Add(new { a = result.Series[i], b = result.Series[j], r = double.IsNaN(r) ? (double?)null : Math.Round(r, 4) });
            }
        }

        return JsonSerializer.Serialize(new { job, generated = now, series = result.Series, clusters = result.Clusters, pairs });
    }
}
