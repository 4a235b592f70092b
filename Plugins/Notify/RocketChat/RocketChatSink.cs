using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Posts each message to Rocket.Chat, with the REST API's <c>chat.postMessage</c> (personal access
/// token) or an incoming webhook: plain text, or with a title an attachment coloured by priority.
/// </summary>
[Plugin("rocketchat", Description = "Post messages to Rocket.Chat (chat.postMessage or an incoming webhook)")]
public sealed class RocketChatSink(IPluginContext context, RocketChatOptions options) : ISink, ITargetBinder
{
    public object BindTarget(string? targetName, object? descriptor) => RocketChatTarget.From(options, descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => RocketChatTarget.From(options, d), "rocketchat");

        var operation = target.UsesWebhook ? "rocketchat webhook" : "rocketchat chat.postMessage";
        var url = target.WebhookUrl ?? $"{options.ServerUrl!.TrimEnd('/')}/api/v1/chat.postMessage";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = HttpDelivery.Json(Body(item, target)) };
        if (!target.UsesWebhook)
        {
            request.Headers.Add("X-Auth-Token", options.AuthToken);
            request.Headers.Add("X-User-Id", options.UserId);
        }

        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, operation, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ChatHttp.FailureAsync(response, operation, context.TimeProvider, Reason, cancellationToken);
        }

        // Both answer {"success": true}; a 200 with success false is a refusal all the same.
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var reply = JsonDocument.Parse(text);
            if (reply.RootElement.ValueKind == JsonValueKind.Object && reply.RootElement.TryGetProperty("success", out var success)
                && success.ValueKind == JsonValueKind.False)
            {
                throw new PermanentDeliveryException($"{operation} failed: {Reason(reply.RootElement) ?? "success is false"}");
            }
        }
        catch (JsonException)
        {
            // an empty or non-JSON success answer
        }

        context.Logger.LogDebug("rocketchat: posted the message of target {Target}", item.Target);
    }

    /// <summary>Slack's attachment colours, which Rocket.Chat shares: grey, green, yellow, red.</summary>
    public static string Colour(int priority) => priority switch
    {
        < 0 => "#a0a0a0",
        0 => "#2eb886",
        1 => "#daa038",
        _ => "#a30200",
    };

    private static JsonObject Body(DeliveryItem item, RocketChatTarget target)
    {
        var body = new JsonObject();
        Add(body, "channel", target.Channel);
        if (item.Title.Length == 0)
        {
            body["text"] = item.Message;
        }
        else
        {
            body["attachments"] = new JsonArray(new JsonObject { ["title"] = item.Title, ["text"] = item.Message, ["color"] = Colour(item.Priority) });
        }

        Add(body, "alias", target.Alias);
        Add(body, "emoji", target.Emoji);
        Add(body, "avatar", target.Avatar);
        return body;
    }

    private static void Add(JsonObject body, string key, string? value)
    {
        if (value is not null)
        {
            body[key] = value;
        }
    }

    /// <summary>REST errors are <c>{"success": false, "error": …}</c>; authentication errors <c>{"status": "error", "message": …}</c>.</summary>
    private static string? Reason(JsonElement reply) => ChatHttp.Text(reply, "error") ?? ChatHttp.Text(reply, "message");
}
