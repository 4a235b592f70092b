using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// mqttwarn's <c>apprise_single</c>: one Apprise notification URL per service, the target's
/// recipients added as <c>to=</c>. The hub runs no Python, so an Apprise API server delivers it
/// (<c>POST {api_url}/notify/</c>, the stateless endpoint).
/// </summary>
[Plugin("apprise", Description = "Notify through an Apprise URL, delivered by an Apprise API server (mqttwarn's apprise_single)")]
public sealed class AppriseSink(IPluginContext context, AppriseOptions options) : ISink, ITargetBinder
{
    private const string Operation = "apprise notify";

    private const string Shape = "the target must be a list of recipients (['foo@example.org', …]) or an empty list";

    public object BindTarget(string? targetName, object? descriptor) => Recipients(descriptor) ?? throw new FormatException(Shape);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var recipients = Descriptor.Bound(item, d => Recipients(d) ?? throw new FormatException(Shape), "apprise");
        var body = new JsonObject
        {
            ["urls"] = NotificationUrl(options, recipients),
            ["title"] = item.Title,
            ["body"] = item.Message,
            ["type"] = NotifyType(item.Priority),
        };
        if (options.Format is { } format)
        {
            body["format"] = format;
        }

        try
        {
            using var content = HttpDelivery.Json(body);
            using var response = await context.CreateHttpClient().PostAsync($"{options.ApiUrl.TrimEnd('/')}/notify/", content, cancellationToken);
            if (response.StatusCode == HttpStatusCode.FailedDependency)
            {
                // Apprise API: the request was fine, the service behind the Apprise URL refused or failed.
                throw new TransientDeliveryException($"{Operation} failed: HTTP 424: the Apprise URL's service did not accept the notification");
            }

            await HttpDelivery.EnsureSuccessAsync(response, Operation, context.TimeProvider, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is SocketException socket ? socket.SocketErrorCode.ToString() : ex.HttpRequestError.ToString();
            throw new TransientDeliveryException($"{Operation} failed: {reason}");
        }

        context.Logger.LogDebug("apprise: notified {Count} recipient(s) of target {Target}", recipients.Count, item.Target);
    }

    /// <summary>
    /// mqttwarn's URL: <c>baseuri?from=sender&amp;to=a,b&amp;name=sender_name</c>, each part only when
    /// set (<c>&amp;</c> when the base URI already has a query).
    /// </summary>
    public static string NotificationUrl(AppriseOptions options, IReadOnlyList<string> recipients)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(recipients);
        var parameters = new List<KeyValuePair<string, object?>>();
        if (!string.IsNullOrEmpty(options.Sender))
        {
            parameters.Add(new("from", options.Sender));
        }

        if (recipients.Count > 0)
        {
            parameters.Add(new("to", string.Join(',', recipients)));
        }

        if (!string.IsNullOrEmpty(options.SenderName))
        {
            parameters.Add(new("name", options.SenderName));
        }

        return parameters.Count == 0 ? options.Baseuri : options.Baseuri + (options.Baseuri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + FormEncoding.Encode(parameters);
    }

    /// <summary>Apprise's notification type from the priority: up to 0 info, 1 warning, 2 and more failure.</summary>
    public static string NotifyType(int priority) => priority switch
    {
        <= 0 => "info",
        1 => "warning",
        _ => "failure",
    };

    private static List<string>? Recipients(object? descriptor) => descriptor switch
    {
        null => [],
        IReadOnlyList<object?> list when list.All(r => r is string { Length: > 0 }) => [.. list.Cast<string>()],
        _ => null,
    };
}
