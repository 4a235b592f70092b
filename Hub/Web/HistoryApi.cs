using System.Text.Json;
using Hub.Config.Values;
using Hub.Diagnostics;
using Hub.History;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hub.Web;

/// <summary>
/// The history's query API on the web endpoint: <c>/api/series?pattern=</c> (series with their last value) and
/// <c>/api/query?series=&amp;from=&amp;to=&amp;step=&amp;agg=</c> (a range reduced to steps, raw points or rollups chosen
/// by the store). Each request opens its own read connection: SQLite's WAL lets it read while the recorder writes.
/// </summary>
internal static class HistoryApi
{
    public static void Map(IEndpointRouteBuilder endpoints, HubObserver hub, JsonSerializerOptions json)
    {
        endpoints.MapGet("/api/series", (string? pattern) =>
            WithStore(hub, store => Results.Json(store.Series(pattern).Select(s => new
            {
                series = s.Name,
                topic = s.Topic,
                field = s.Field,
                tags = s.Tags,
                last_time = s.LastTime,
                last_value = s.LastValue,
            }), json)));

        endpoints.MapGet("/api/query", (string? series, string? from, string? to, string? step, string? agg) =>
            WithStore(hub, store =>
            {
                var now = DateTimeOffset.UtcNow;
                if (string.IsNullOrEmpty(series))
                {
                    return Problem("series is required, e.g. series=sensors/kitchen/temperature%23temperature");
                }

                if (!PointInTime.TryParse(from ?? "24h", now, out var start) || !PointInTime.TryParse(to ?? "now", now, out var end) || end <= start)
                {
                    return Problem("from and to must be times (ISO 8601, epoch milliseconds, now, or a duration before now such as 24h) with from before to");
                }

                var interval = TimeSpan.FromMilliseconds(Math.Max(1000, Math.Ceiling((end - start).TotalMilliseconds / 500)));
                if (step is not null && (!Durations.TryParse(step, out interval) || interval < TimeSpan.FromMilliseconds(1)))
                {
                    return Problem($"step '{step}' is not a duration such as 30s, 5m or 1h");
                }

                if (!Enum.TryParse<HistoryAggregate>(agg ?? "mean", ignoreCase: true, out var aggregate))
                {
                    return Problem($"agg '{agg}' is not one of {string.Join(", ", Enum.GetNames<HistoryAggregate>().Select(n => n.ToLowerInvariant()))}");
                }

                var result = store.Query(series, start, end, interval, aggregate);
                return Results.Json(new
                {
                    series,
                    step_ms = (long)interval.TotalMilliseconds,
                    aggregate = aggregate.ToString().ToLowerInvariant(),
                    resolution = result.Resolution.ToString().ToLowerInvariant(),
                    points = result.Samples.Select(s => new object[] { s.Timestamp, s.Value }),
                }, json);
            }));
    }

    private static IResult WithStore(HubObserver hub, Func<HistoryStore, IResult> query)
    {
        if (hub.Runtime.Config.History is not { } options)
        {
            return Results.Json(new { error = "no [history] section: nothing is recorded" }, statusCode: StatusCodes.Status404NotFound);
        }

        if (!File.Exists(options.Path))
        {
            return Results.Json(new { error = "nothing recorded yet" }, statusCode: StatusCodes.Status404NotFound);
        }

        using var store = HistoryStore.Open(options.Path, options.Retention);
        return query(store);
    }

    private static IResult Problem(string message) => Results.Json(new { error = message }, statusCode: StatusCodes.Status400BadRequest);
}
