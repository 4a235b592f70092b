using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Hub.Analytics.Jobs;

/// <summary>
/// <c>kind = report</c>: an HTML report of the last <c>period</c> sent to each of <c>targets</c> through the normal
/// delivery (an smtp target with <c>htmlmsg = True</c>): the period's alarm transitions (when an alarm store is wired),
/// per series of <c>series</c> a line chart (SVG inline) with min, mean and max, and the outputs of the jobs it follows.
/// </summary>
internal static class ReportJob
{
    public static async ValueTask<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var (period, step) = (options.Duration("period"), options.Duration("step"));
        var from = context.Now - period;
        var title = context.Render(options.Setting("title")!);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h1>{Encode(title)}</h1><p>{from:yyyy-MM-dd HH:mm} to {context.Now:yyyy-MM-dd HH:mm} UTC</p><h2>Alarms</h2>");
        var alarmCount = 0;
        if (context.Services.AlarmsOfPeriod is { } alarms)
        {
            var lines = alarms(from, context.Now);
            alarmCount = lines.Count;
            html.Append(lines.Count == 0 ? "<p>No alarm in this period.</p>" : "<ul>" + string.Concat(lines.Select(l => $"<li>{Encode(l)}</li>")) + "</ul>");
        }
        else
        {
            html.Append("<p>No alarm store in this hub: alarms are not listed.</p>");
        }

        var charts = 0;
        if (options.Names("series").Count > 0)
        {
            html.Append("<h2>Series</h2>");
            foreach (var series in context.MatchingSeries())
            {
                var samples = context.History.Query(series, from, context.Now, step, History.HistoryAggregate.Mean).Samples
                    .Select(s => (s.Time, s.Value)).ToList();
                if (samples.Count == 0)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<h3>{Encode(series)}</h3><p>No data in this period.</p>");
                    continue;
                }

                var values = samples.Select(s => s.Value).ToList();
                html.Append(CultureInfo.InvariantCulture, $"<h3>{Encode(series)}</h3><p>min {values.Min():G6}, mean {values.Average():G6}, max {values.Max():G6}</p>");
                html.Append(SeriesChart.Svg(series, samples));
                charts++;
            }
        }

        // A report chained after other jobs (after = correlate, forecast) shows what they produced.
        foreach (var (job, output) in context.Upstream.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>Job {Encode(job)}</h2><pre>{Encode(output)}</pre>");
        }

        var notify = context.Services.Notify ?? throw new InvalidOperationException("no notification targets in this process");
        foreach (var target in options.Names("targets"))
        {
            await notify(target, title, html.ToString(), new Dictionary<string, object?> { ["job"] = options.Name }, cancellationToken).ConfigureAwait(false);
        }

        var summary = string.Create(CultureInfo.InvariantCulture, $"report with {alarmCount} alarms and {charts} charts sent to {options.Names("targets").Count} targets");
        return new JobResult(summary, JsonSerializer.Serialize(new { job = options.Name, from, to = context.Now, alarms = alarmCount, charts, targets = options.Names("targets") }));
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
