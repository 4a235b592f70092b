using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Posts each message to a Google Chat space through its incoming webhook: <c>{"text": …}</c>, the
/// title in bold on top, and optionally a thread key so related messages form one thread.
/// </summary>
[Plugin("googlechat", Description = "Post messages to a Google Chat space's incoming webhook")]
public sealed class GoogleChatSink(IPluginContext context, GoogleChatOptions options) : ISink, ITargetBinder
{
    private const string Operation = "googlechat webhook";

    public object BindTarget(string? targetName, object? descriptor) => GoogleChatTarget.From(options, descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        GoogleChatTarget target;
        string? threadKey;
        try
        {
            target = Descriptor.Bound(item, d => GoogleChatTarget.From(options, d), "googlechat");
            threadKey = target.ThreadKey is { } key ? context.Formatter.Format(key, item.Data) : null;
        }
        catch (FormatException ex)
        {
            throw new PermanentDeliveryException($"googlechat: {ex.Message}");
        }

        var body = new JsonObject { ["text"] = item.Title.Length > 0 ? $"*{item.Title}*\n{item.Message}" : item.Message };
        var url = target.WebhookUrl;
        if (!string.IsNullOrEmpty(threadKey))
        {
            body["thread"] = new JsonObject { ["threadKey"] = threadKey };
            url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD";
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = HttpDelivery.Json(body) };
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, Operation, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ChatHttp.FailureAsync(response, Operation, context.TimeProvider, r => ChatHttp.Text(r, "error", "message"), cancellationToken);
        }

        context.Logger.LogDebug("googlechat: posted to the webhook of target {Target}", item.Target);
    }
}
