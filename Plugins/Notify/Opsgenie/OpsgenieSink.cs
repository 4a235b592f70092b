using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Creates an Opsgenie alert for each message: <c>POST {api_url}/v2/alerts</c> with
/// <c>Authorization: GenieKey …</c> and <c>{message, description, alias?, priority, responders?, tags?, source, entity?, details}</c>.
/// </summary>
[Plugin("opsgenie", Description = "Create Opsgenie alerts (Alert API v2)")]
public sealed class OpsgenieSink(IPluginContext context, OpsgenieOptions options) : ISink, ITargetBinder
{
    private const string Operation = "opsgenie alerts";

    /// <summary>Opsgenie's limit on the message (the alert's headline).</summary>
    public const int MessageLimit = 130;

    /// <summary>Opsgenie's limit on the description.</summary>
    public const int DescriptionLimit = 15000;

    /// <summary>Opsgenie's limit on the alias.</summary>
    public const int AliasLimit = 512;

    public object BindTarget(string? targetName, object? descriptor) => OpsgenieTarget.From(options, descriptor);

    /// <summary>The hub's priority as Opsgenie's: 2 and above P1, 1 P2, 0 P3 (Opsgenie's default), −1 P4, −2 and below P5.</summary>
    public static string Priority(int priority) => priority switch
    {
        >= 2 => "P1",
        1 => "P2",
        0 => "P3",
        -1 => "P4",
        _ => "P5",
    };

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => OpsgenieTarget.From(options, d), "opsgenie");

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.ApiUrl.TrimEnd('/')}/v2/alerts") { Content = HttpDelivery.Json(Alert(item, target)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("GenieKey", target.ApiKey);
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, Operation, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw HttpDelivery.Failure(Operation, response.StatusCode, ErrorOf(text), RetryAfter.From(response, context.TimeProvider));
        }

        context.Logger.LogDebug("opsgenie: alert accepted for target {Target}", item.Target);
    }

    private JsonObject Alert(DeliveryItem item, OpsgenieTarget target)
    {
        var text = Text(item.Data.GetValueOrDefault("message")) ?? item.Message;
        var headline = item.Title.Length > 0 ? item.Title : text;
        var alert = new JsonObject
        {
            ["message"] = Cut(headline, MessageLimit),
            ["description"] = Cut(text, DescriptionLimit),
        };
        if (Format("alias", target.Fields.GetValueOrDefault("alias") ?? options.Alias, item.Data) is { } alias)
        {
            alert["alias"] = Cut(alias, AliasLimit);
        }

        alert["priority"] = Priority(item.Priority);
        if (target.Responders.Count > 0)
        {
            alert["responders"] = new JsonArray([.. target.Responders.Select(r => DataJson.From(r))]);
        }

        var tags = options.Tags.Concat(target.Tags).Distinct(StringComparer.Ordinal).ToList();
        if (tags.Count > 0)
        {
            alert["tags"] = new JsonArray([.. tags.Select(t => (JsonNode?)JsonValue.Create(t))]);
        }

        alert["source"] = Format("source", target.Fields.GetValueOrDefault("source") ?? options.Source, item.Data) ?? item.Topic;
        if (Format("entity", target.Fields.GetValueOrDefault("entity") ?? options.Entity, item.Data) is { } entity)
        {
            alert["entity"] = entity;
        }

        alert["details"] = new JsonObject { ["topic"] = item.Topic };
        return alert;
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
            throw new PermanentDeliveryException($"opsgenie: formatting {key} failed: {ex.Message}");
        }
    }

    private static string Cut(string text, int limit) => text.Length <= limit ? text : text[..limit];

    /// <summary>Opsgenie's <c>{"message": …, "errors": {field: reason}}</c>, else the body.</summary>
    private static string ErrorOf(string body)
    {
        try
        {
            using var reply = JsonDocument.Parse(body);
            var root = reply.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var message))
            {
                var errors = root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object
                    ? e.EnumerateObject().Select(p => $"{p.Name}: {p.Value}").ToList()
                    : [];
                return errors.Count > 0 ? $"{message} ({string.Join("; ", errors)})" : message.ToString();
            }
        }
        catch (JsonException)
        {
            // not Opsgenie's error object: the text itself is the reason
        }

        return HttpDelivery.Shorten(body);
    }

    private static string? Text(object? value) => OptionValues.ToText(value)?.Trim() is { Length: > 0 } text ? text : null;
}
