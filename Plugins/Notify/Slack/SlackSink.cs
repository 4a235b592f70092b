using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Posts each message to Slack, with <c>chat.postMessage</c> (bot token) or an incoming webhook:
/// the title on top and the message in an attachment coloured by priority.
/// </summary>
[Plugin("slack", Description = "Post messages to Slack (chat.postMessage or an incoming webhook)")]
public sealed class SlackSink(IPluginContext context, SlackOptions options) : ISink, ITargetBinder
{
    public object BindTarget(string? targetName, object? descriptor) => SlackTarget.From(options, descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => SlackTarget.From(options, d), "slack");
        var body = Body(item, target);
        if (target.UsesWebhook)
        {
            await PostToWebhookAsync(target.WebhookUrl!, body, cancellationToken);
            context.Logger.LogDebug("slack: posted to the webhook of target {Target}", item.Target);
            return;
        }

        await PostMessageAsync(target.Token!, body, cancellationToken);
        context.Logger.LogDebug("slack: posted to {Channel}", target.Channel);
    }

    /// <summary>Slack's named colours for 0–2, grey for low priorities.</summary>
    public static string Colour(int priority) => priority switch
    {
        < 0 => "#a0a0a0",
        0 => "good",
        1 => "warning",
        _ => "danger",
    };

    private static JsonObject Body(DeliveryItem item, SlackTarget target)
    {
        // mqttwarn: a 'message' in the transformation data replaces the formatted message.
        var message = item.Data.GetValueOrDefault("message") is string m ? m : item.Message;
        var attachment = new JsonObject { ["color"] = Colour(item.Priority), ["fallback"] = message };
        if (item.Title.Length > 0)
        {
            attachment["title"] = item.Title;
        }

        attachment["text"] = message;
        if (item.Data.GetValueOrDefault("imageurl") is string { Length: > 0 } imageUrl)
        {
            attachment["image_url"] = imageUrl;
        }

        var body = new JsonObject();
        Add(body, "channel", target.Channel);
        body["text"] = item.Title.Length > 0 ? item.Title : message;
        Add(body, "username", target.Username);
        Add(body, "icon_emoji", target.IconEmoji);
        body["attachments"] = new JsonArray(attachment);
        return body;
    }

    private static void Add(JsonObject body, string key, string? value)
    {
        if (value is not null)
        {
            body[key] = value;
        }
    }

    private async Task PostMessageAsync(string token, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.ApiUrl.TrimEnd('/')}/chat.postMessage") { Content = HttpDelivery.Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await context.CreateHttpClient().SendAsync(request, cancellationToken);
        await HttpDelivery.EnsureSuccessAsync(response, "slack chat.postMessage", context.TimeProvider, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string? error;
        try
        {
            using var reply = JsonDocument.Parse(text);
            if (reply.RootElement.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
            {
                return;
            }

            error = reply.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
        }
        catch (JsonException)
        {
            error = HttpDelivery.Shorten(text);
        }

        // ok:false comes with HTTP 200; "ratelimited" is the one error that passes by itself.
        var reason = $"slack chat.postMessage failed: {error ?? "ok is not true"}";
        throw error == "ratelimited" ? new TransientDeliveryException(reason, RetryAfter.From(response, context.TimeProvider)) : new PermanentDeliveryException(reason);
    }

    private async Task PostToWebhookAsync(string url, JsonObject body, CancellationToken cancellationToken)
    {
        using var content = HttpDelivery.Json(body);
        using var response = await context.CreateHttpClient().PostAsync(url, content, cancellationToken);
        await HttpDelivery.EnsureSuccessAsync(response, "slack webhook", context.TimeProvider, cancellationToken);
    }
}
