using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Sends each message as a Pushbullet note: <c>POST {api_url}/v2/pushes</c> with the
/// <c>Access-Token</c> header and <c>{type: note, title, body, recipient field}</c>.
/// </summary>
[Plugin("pushbullet", Description = "Send notes to Pushbullet devices, e-mail addresses, channels or clients")]
public sealed class PushbulletSink(IPluginContext context, PushbulletOptions options) : ISink, ITargetBinder
{
    private const string Operation = "pushbullet pushes";

    public object BindTarget(string? targetName, object? descriptor) => PushbulletTarget.From(descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => PushbulletTarget.From(d), "pushbullet");

        // mqttwarn: the title defaults to the program's name.
        var body = new JsonObject { ["type"] = "note", ["title"] = item.Title.Length > 0 ? item.Title : "hub", ["body"] = item.Message };
        if (target.Recipient is { } recipient)
        {
            body[target.RecipientField] = recipient;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.ApiUrl.TrimEnd('/')}/v2/pushes") { Content = HttpDelivery.Json(body) };
        request.Headers.Add("Access-Token", target.AccessToken);
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, Operation, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw HttpDelivery.Failure(Operation, response.StatusCode, ErrorOf(text), RetryAfter.From(response, context.TimeProvider));
        }

        context.Logger.LogDebug("pushbullet: pushed a note for target {Target}", item.Target);
    }

    /// <summary>Pushbullet's <c>{"error": {"type": …, "message": …}}</c>, else the body.</summary>
    private static string ErrorOf(string body)
    {
        try
        {
            using var reply = JsonDocument.Parse(body);
            if (reply.RootElement.ValueKind == JsonValueKind.Object && reply.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message))
            {
                return message.ToString();
            }
        }
        catch (JsonException)
        {
            // not Pushbullet's error object: the text itself is the reason
        }

        return HttpDelivery.Shorten(body);
    }
}
