using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Triggers an IFTTT Webhooks event for each message (mqttwarn's <c>[api_key, event]</c>), with
/// the message, the title and the priority as the ingredients <c>value1</c>, <c>value2</c>, <c>value3</c>.
/// </summary>
[Plugin("ifttt", Description = "Trigger an IFTTT Webhooks event (value1 = message, value2 = title, value3 = priority)")]
public sealed class IftttSink(IPluginContext context, IftttOptions options) : ISink, ITargetBinder
{
    private const string Operation = "ifttt trigger";

    public object BindTarget(string? targetName, object? descriptor) => Target(descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        (string Key, string Event) target;
        try
        {
            target = Descriptor.Bound(item, d => Target(d), "ifttt");
        }
        catch (FormatException ex)
        {
            throw new PermanentDeliveryException($"ifttt: {ex.Message}");
        }

        var body = new JsonObject
        {
            ["value1"] = item.Message,
            ["value2"] = item.Title,
            ["value3"] = item.Priority.ToString(CultureInfo.InvariantCulture),
        };
        var url = $"{options.BaseUrl.TrimEnd('/')}/trigger/{Uri.EscapeDataString(target.Event)}/with/key/{Uri.EscapeDataString(target.Key)}";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = HttpDelivery.Json(body) };
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, Operation, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ChatHttp.FailureAsync(response, Operation, context.TimeProvider, Reason, cancellationToken);
        }

        context.Logger.LogDebug("ifttt: triggered event {Event}", target.Event);
    }

    /// <summary>mqttwarn's <c>[api_key, event]</c>.</summary>
    private static (string Key, string Event) Target(object? descriptor)
    {
        var items = descriptor as IReadOnlyList<object?>;
        var key = items is { Count: 2 } ? Text(items[0]) : null;
        var name = items is { Count: 2 } ? Text(items[1]) : null;
        return key is null || name is null ? throw new FormatException("the target must be ['api_key', 'event']") : (key, name);
    }

    /// <summary>IFTTT explains a refusal as <c>{"errors": [{"message": …}]}</c>.</summary>
    private static string? Reason(JsonElement reply) =>
        reply.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
            ? ChatHttp.Text(errors[0], "message")
            : null;

    private static string? Text(object? value) => OptionValues.ToText(value) is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
