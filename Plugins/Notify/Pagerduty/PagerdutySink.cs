using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Sends each message as a PagerDuty Events API v2 event: <c>POST {api_url}/v2/enqueue</c> with
/// <c>{routing_key, event_action, dedup_key?, payload: {summary, source, severity, …}}</c>.
/// </summary>
[Plugin("pagerduty", Description = "Trigger and resolve PagerDuty incidents (Events API v2)")]
public sealed class PagerdutySink(IPluginContext context, PagerdutyOptions options) : ISink, ITargetBinder
{
    private const string Operation = "pagerduty enqueue";

    /// <summary>PagerDuty caps the summary at 1024 characters.</summary>
    public const int SummaryLimit = 1024;

    public object BindTarget(string? targetName, object? descriptor) => PagerdutyTarget.From(options, descriptor);

    /// <summary>The hub's priority as a PagerDuty severity: 2 and above critical, 1 error, 0 warning, below 0 info.</summary>
    public static string Severity(int priority) => priority switch
    {
        >= 2 => "critical",
        1 => "error",
        0 => "warning",
        _ => "info",
    };

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => PagerdutyTarget.From(options, d), "pagerduty");

        var body = Event(item, target);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.ApiUrl.TrimEnd('/')}/v2/enqueue") { Content = HttpDelivery.Json(body) };
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, Operation, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw HttpDelivery.Failure(Operation, response.StatusCode, ErrorOf(text), RetryAfter.From(response, context.TimeProvider));
        }

        context.Logger.LogDebug("pagerduty: {Action} event accepted for target {Target}", body["event_action"], item.Target);
    }

    private JsonObject Event(DeliveryItem item, PagerdutyTarget target)
    {
        // data > target > options, for the action, the severity and every templated field
        string? Pick(string key, string? fallback) => Text(item.Data.GetValueOrDefault(key)) ?? target.Fields.GetValueOrDefault(key) ?? fallback;

        var action = Pick("event_action", options.EventAction)!;
        if (!PagerdutyTarget.Actions.Contains(action))
        {
            throw new PermanentDeliveryException($"pagerduty: event_action must be trigger, acknowledge or resolve (got '{action}')");
        }

        var body = new JsonObject { ["routing_key"] = target.RoutingKey, ["event_action"] = action };
        if (Format("dedup_key", Pick("dedup_key", options.DedupKey), item.Data) is { } dedupKey)
        {
            body["dedup_key"] = dedupKey;
        }
        else if (action != "trigger")
        {
            throw new PermanentDeliveryException($"pagerduty: {action} needs a dedup_key (set dedup_key, e.g. '{{topic}}')");
        }

        if (action != "trigger")
        {
            return body;
        }

        var severity = Pick("severity", null) ?? Severity(item.Priority);
        if (!PagerdutyTarget.Severities.Contains(severity))
        {
            throw new PermanentDeliveryException($"pagerduty: severity must be critical, error, warning or info (got '{severity}')");
        }

        var summary = Text(item.Data.GetValueOrDefault("message")) ?? item.Message;
        var payload = new JsonObject
        {
            ["summary"] = summary.Length <= SummaryLimit ? summary : summary[..SummaryLimit],
            ["source"] = Format("source", Pick("source", options.Source), item.Data) ?? item.Topic,
            ["severity"] = severity,
        };
        foreach (var (key, fallback) in new[] { ("component", options.Component), ("group", options.Group), ("class", options.Class) })
        {
            if (Format(key, Pick(key, fallback), item.Data) is { } value)
            {
                payload[key] = value;
            }
        }

        var details = new JsonObject();
        if (item.Title.Length > 0)
        {
            details["title"] = item.Title;
        }

        foreach (var (key, value) in item.Data.Where(p => p.Key != "message"))
        {
            details[key] = DataJson.From(value);
        }

        payload["custom_details"] = details;
        body["payload"] = payload;
        return body;
    }

    private string? Format(string key, string? template, IReadOnlyDictionary<string, object?> data)
    {
        if (template is null)
        {
            return null;
        }

        try
        {
            return context.Formatter.Format(template, data) is { Length: > 0 } text ? text : null;
        }
        catch (FormatException ex)
        {
            throw new PermanentDeliveryException($"pagerduty: formatting {key} failed: {ex.Message}");
        }
    }

    /// <summary>PagerDuty's <c>{"status": …, "message": …, "errors": [...]}</c>, else the body.</summary>
    private static string ErrorOf(string body)
    {
        try
        {
            using var reply = JsonDocument.Parse(body);
            var root = reply.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var message))
            {
                var errors = root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.ToString()).ToList() : [];
                return errors.Count > 0 ? $"{message}: {string.Join("; ", errors)}" : message.ToString();
            }
        }
        catch (JsonException)
        {
            // not PagerDuty's error object: the text itself is the reason
        }

        return HttpDelivery.Shorten(body);
    }

    private static string? Text(object? value) => OptionValues.ToText(value)?.Trim() is { Length: > 0 } text ? text : null;
}
