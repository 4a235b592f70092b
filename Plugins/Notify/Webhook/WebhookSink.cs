using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Sends each message to any HTTP endpoint: a method, headers, and a body that is the message or a
/// template formatted with the item's data. The hub's own general-purpose webhook (mqttwarn has none).
/// </summary>
[Plugin("webhook", Description = "Send each message to a URL with a chosen method, headers and templated body")]
public sealed class WebhookSink(IPluginContext context, WebhookOptions options) : ISink, ITargetBinder
{
    public object BindTarget(string? targetName, object? descriptor) => WebhookTarget.From(options, descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => WebhookTarget.From(options, d), "webhook");
        var operation = $"webhook {target.Method.Method}";
        var data = TemplateData(item);
        string url;
        try
        {
            url = context.Formatter.Format(target.Url, data);
        }
        catch (FormatException ex)
        {
            throw new PermanentDeliveryException($"{operation}: the url cannot be formatted: {ex.Message}");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new PermanentDeliveryException($"{operation}: the formatted url is not an absolute http(s) URL");
        }

        using var request = new HttpRequestMessage(target.Method, uri);
        foreach (var (name, value) in target.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (target.HasBody)
        {
            request.Content = new ByteArrayContent(Body(item, target, data, operation));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(target.ContentType);
        }

        try
        {
            using var response = await context.CreateHttpClient().SendAsync(request, cancellationToken);
            await HttpDelivery.EnsureSuccessAsync(response, operation, context.TimeProvider, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is SocketException socket ? socket.SocketErrorCode.ToString() : ex.HttpRequestError.ToString();
            throw new TransientDeliveryException($"{operation} failed: {reason}");
        }

        context.Logger.LogDebug("webhook: {Method} for target {Target} accepted", target.Method.Method, item.Target);
    }

    /// <summary>The transformation data, plus the item's message, title, priority and topic where the data has no such key.</summary>
    public static IReadOnlyDictionary<string, object?> TemplateData(DeliveryItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var data = new Dictionary<string, object?>(item.Data);
        data.TryAdd("message", item.Message);
        data.TryAdd("title", item.Title);
        data.TryAdd("priority", (long)item.Priority);
        data.TryAdd("topic", item.Topic);
        return data;
    }

    private byte[] Body(DeliveryItem item, WebhookTarget target, IReadOnlyDictionary<string, object?> data, string operation)
    {
        if (target.Body is null)
        {
            return item.MessageBytes.ToArray();
        }

        try
        {
            return Encoding.UTF8.GetBytes(context.Formatter.Format(target.Body, data));
        }
        catch (FormatException ex)
        {
            throw new PermanentDeliveryException($"{operation}: the body cannot be formatted: {ex.Message}");
        }
    }
}
