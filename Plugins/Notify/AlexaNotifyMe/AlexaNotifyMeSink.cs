using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Sends each message to the Notify Me skill for Amazon Alexa (mqttwarn's <c>[access_code]</c>):
/// the Echo lights up and reads the notification when asked.
/// </summary>
[Plugin("alexa-notify-me", Description = "Send notifications to Amazon Alexa through the Notify Me skill")]
public sealed class AlexaNotifyMeSink(IPluginContext context, AlexaNotifyMeOptions options) : ISink, ITargetBinder
{
    private const string Operation = "alexa-notify-me NotifyMe";

    private const string Shape = "the target must be ['access_code'] (the code the Notify Me skill e-mails you)";

    public object BindTarget(string? targetName, object? descriptor) => AccessCode(descriptor) ?? throw new FormatException(Shape);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var accessCode = Descriptor.Bound(item, d => AccessCode(d) ?? throw new FormatException(Shape), "alexa-notify-me");
        var body = new JsonObject { ["notification"] = item.Message, ["accessCode"] = accessCode };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.ApiUrl.TrimEnd('/')}/v1/NotifyMe") { Content = HttpDelivery.Json(body) };
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, Operation, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ChatHttp.FailureAsync(response, Operation, context.TimeProvider, Reason, cancellationToken);
        }

        context.Logger.LogDebug("alexa-notify-me: sent the notification of target {Target}", item.Target);
    }

    /// <summary>mqttwarn's <c>[access_code]</c>; a bare text is accepted too.</summary>
    private static string? AccessCode(object? descriptor)
    {
        var items = Descriptor.Items(descriptor);
        return items.Count == 1 && OptionValues.ToText(items[0]) is { } code && !string.IsNullOrWhiteSpace(code) ? code.Trim() : null;
    }

    private static string? Reason(JsonElement reply) => ChatHttp.Text(reply, "message") ?? ChatHttp.Text(reply, "error");
}
