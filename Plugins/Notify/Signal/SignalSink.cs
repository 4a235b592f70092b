using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Sends each message through a signal-cli REST API (bbernhard/signal-cli-rest-api):
/// <c>POST {url}/v2/send</c> with <c>{message, number, recipients, base64_attachments?}</c>.
/// </summary>
[Plugin("signal", Description = "Send Signal messages through a signal-cli REST API")]
public sealed class SignalSink(IPluginContext context, SignalOptions options) : ISink, ITargetBinder
{
    private const string Operation = "signal send";

    public object BindTarget(string? targetName, object? descriptor) => SignalTarget.From(options, descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => SignalTarget.From(options, d), "signal");

        var image = ImagePayload.Detect(item.Payload.Span);
        // An image payload has no text of its own: the title (or data 'message') goes with it.
        var message = item.Data.GetValueOrDefault("message") as string ?? (image is null ? item.Message : item.Title);
        var body = new JsonObject
        {
            ["message"] = message,
            ["number"] = target.Number,
            ["recipients"] = new JsonArray([.. target.Recipients.Select(r => (JsonNode?)JsonValue.Create(r))]),
        };
        if (image is var (mediaType, fileName))
        {
            body["base64_attachments"] = new JsonArray($"data:{mediaType};filename={fileName};base64,{Convert.ToBase64String(item.Payload.Span)}");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.Url.TrimEnd('/')}/v2/send") { Content = HttpDelivery.Json(body) };
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, Operation, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw HttpDelivery.Failure(Operation, response.StatusCode, ErrorOf(text), RetryAfter.From(response, context.TimeProvider));
        }

        context.Logger.LogDebug("signal: sent to {Count} recipient(s) of target {Target}", target.Recipients.Count, item.Target);
    }

    /// <summary>signal-cli-rest-api's <c>{"error": …}</c>, else the body.</summary>
    private static string ErrorOf(string body)
    {
        try
        {
            using var reply = JsonDocument.Parse(body);
            if (reply.RootElement.ValueKind == JsonValueKind.Object && reply.RootElement.TryGetProperty("error", out var error))
            {
                return error.ToString();
            }
        }
        catch (JsonException)
        {
            // not the API's error object: the text itself is the reason
        }

        return HttpDelivery.Shorten(body);
    }
}
