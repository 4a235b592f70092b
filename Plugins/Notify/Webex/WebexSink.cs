using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Sends each message with the Webex Messages API (<c>POST /v1/messages</c>) as a bot, to a room or
/// a person: plain <c>text</c>, or <c>markdown</c> with the title in bold when there is a title.
/// </summary>
[Plugin("webex", Description = "Send messages to a Webex room or person as a bot")]
public sealed class WebexSink(IPluginContext context, WebexOptions options) : ISink, ITargetBinder
{
    private const string Operation = "webex create message";

    public object BindTarget(string? targetName, object? descriptor) => WebexTarget.From(descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => WebexTarget.From(d), "webex");

        var body = target.RoomId is { } room ? new JsonObject { ["roomId"] = room } : new JsonObject { ["toPersonEmail"] = target.PersonEmail };
        if (item.Title.Length > 0)
        {
            body["markdown"] = $"**{item.Title}**\n\n{item.Message}";
        }
        else
        {
            body["text"] = item.Message;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.ApiUrl.TrimEnd('/')}/v1/messages") { Content = HttpDelivery.Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, Operation, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ChatHttp.FailureAsync(response, Operation, context.TimeProvider, Reason, cancellationToken);
        }

        context.Logger.LogDebug("webex: sent the message of target {Target}", item.Target);
    }

    /// <summary>Webex explains a refusal as <c>{"message": …, "errors": [{"description": …}], "trackingId": …}</c>; the tracking id helps Cisco's support.</summary>
    private static string? Reason(JsonElement reply) =>
        ChatHttp.Text(reply, "message") is { } message
            ? ChatHttp.Text(reply, "trackingId") is { } tracking ? $"{message} (trackingId {tracking})" : message
            : null;
}
