using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// mqttwarn's <c>emoncms</c>: posts the numeric message as input <c>name</c> of node <c>node_id</c>
/// (<c>GET {url}/input/post?node=…&amp;fulljson={"name":value}&amp;apikey=…</c>).
/// </summary>
[Plugin("emoncms", Description = "Post numeric values to EmonCMS inputs")]
public sealed class EmoncmsSink(IPluginContext context, EmoncmsOptions options) : ISink, ITargetBinder
{
    private const string Operation = "emoncms input/post";
    private const string Shape = "the target must be [node_id, name], e.g. [1, 'usage']";

    public object BindTarget(string? targetName, object? descriptor) => Parse(descriptor) ?? throw new FormatException(Shape);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var (node, name) = Descriptor.Bound(item, d => Parse(d) ?? throw new FormatException(Shape), "emoncms");
        if (!double.TryParse(item.Message.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new PermanentDeliveryException("emoncms: the message must be a number");
        }

        var query = FormEncoding.Encode([
            new("node", node),
            new("fulljson", new JsonObject { [name] = value }.ToJsonString()),
            new("apikey", options.Apikey),
        ]);
        var uri = new Uri($"{options.Url.TrimEnd('/')}/input/post?{query}");

        using var timer = new CancellationTokenSource(TimeSpan.FromSeconds(options.Timeout), context.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        string reply;
        try
        {
            using var response = await context.CreateHttpClient().GetAsync(uri, linked.Token);
            await HttpDelivery.EnsureSuccessAsync(response, Operation, context.TimeProvider, linked.Token);
            reply = await response.Content.ReadAsStringAsync(linked.Token);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TransientDeliveryException($"{Operation} timed out after {options.Timeout} s");
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is SocketException socket ? socket.SocketErrorCode.ToString() : ex.HttpRequestError.ToString();
            throw new TransientDeliveryException($"{Operation} failed: {reason}");
        }

        if (Refusal(reply) is { } refusal)
        {
            throw new PermanentDeliveryException($"{Operation} failed: {refusal}");
        }

        context.Logger.LogDebug("emoncms: node {Node} input {Name} posted", node, name);
    }

    /// <summary>
    /// EmonCMS answers HTTP 200 either way: <c>ok</c> or <c>{"success": true}</c> when the value was
    /// taken, else <c>{"success": false, "message": …}</c> or an error text.
    /// </summary>
    public static string? Refusal(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var text = reply.Trim();
        if (text.Equals("ok", StringComparison.OrdinalIgnoreCase) || text.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("success", out var success))
            {
                return success.ValueKind == JsonValueKind.False
                    ? root.TryGetProperty("message", out var message) ? message.ToString() : "success is false"
                    : null;
            }
        }
        catch (JsonException)
        {
            // An error text such as "Error: Invalid node".
        }

        return HttpDelivery.Shorten(text);
    }

    private static (string Node, string Name)? Parse(object? descriptor) =>
        descriptor is IReadOnlyList<object?> { Count: 2 } list
        && OptionValues.ToText(list[0]) is { Length: > 0 } node && list[0] is string or long
        && list[1] is string { Length: > 0 } name
            ? (node, name)
            : null;
}
