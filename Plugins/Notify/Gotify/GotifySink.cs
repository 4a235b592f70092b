using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Sends each message to a Gotify server as an application message: <c>POST {url}/message</c> with
/// the application token in <c>X-Gotify-Key</c> and <c>{title, message, priority, extras?}</c>.
/// </summary>
[Plugin("gotify", Description = "Push messages to a self-hosted Gotify server")]
public sealed class GotifySink(IPluginContext context, GotifyOptions options) : ISink, ITargetBinder
{
    private const string Operation = "gotify message";

    public object BindTarget(string? targetName, object? descriptor) => GotifyTarget.From(options, descriptor);

    /// <summary>The hub's −2…2 on Gotify's 0…10 scale (4–7 make a sound, 8–10 are urgent); higher values pass as they are, up to 10.</summary>
    public static int Priority(int priority) => priority switch
    {
        <= -2 => 0,
        -1 => 2,
        0 => 5,
        1 => 8,
        2 => 10,
        _ => Math.Min(priority, 10),
    };

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => GotifyTarget.From(options, d), "gotify");

        var body = new JsonObject();
        if (item.Title.Length > 0)
        {
            body["title"] = item.Title;
        }

        body["message"] = item.Data.GetValueOrDefault("message") is string message ? message : item.Message;
        body["priority"] = Priority(item.Priority);
        if (Extras(item.Data) is { } extras)
        {
            body["extras"] = extras;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{target.Url.TrimEnd('/')}/message") { Content = HttpDelivery.Json(body) };
        request.Headers.Add("X-Gotify-Key", target.Token);
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, Operation, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw HttpDelivery.Failure(Operation, response.StatusCode, ErrorOf(text), RetryAfter.From(response, context.TimeProvider));
        }

        context.Logger.LogDebug("gotify: sent to target {Target}", item.Target);
    }

    /// <summary>Data <c>extras</c> (a dict, as is), plus Markdown display and a <c>click</c> URL from the data.</summary>
    private JsonObject? Extras(IReadOnlyDictionary<string, object?> data)
    {
        var extras = data.GetValueOrDefault("extras") is IReadOnlyDictionary<string, object?> given ? DataJson.Object(given) : new JsonObject();
        if (options.Markdown && !extras.ContainsKey("client::display"))
        {
            extras["client::display"] = new JsonObject { ["contentType"] = "text/markdown" };
        }

        if (data.GetValueOrDefault("click") is string { Length: > 0 } click && !extras.ContainsKey("client::notification"))
        {
            extras["client::notification"] = new JsonObject { ["click"] = new JsonObject { ["url"] = click } };
        }

        return extras.Count > 0 ? extras : null;
    }

    private static string ErrorOf(string body)
    {
        try
        {
            using var reply = JsonDocument.Parse(body);
            if (reply.RootElement.ValueKind == JsonValueKind.Object && reply.RootElement.TryGetProperty("errorDescription", out var description))
            {
                return description.ToString();
            }
        }
        catch (JsonException)
        {
            // not Gotify's error object: the text itself is the reason
        }

        return HttpDelivery.Shorten(body);
    }
}
