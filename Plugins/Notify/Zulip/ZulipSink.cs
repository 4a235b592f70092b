using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Sends each message with Zulip's <c>POST /api/v1/messages</c>: to a channel and topic (the
/// target's topic, else the title, else the <c>topic</c> option), or as a direct message.
/// </summary>
[Plugin("zulip", Description = "Send messages to a Zulip channel topic or as direct messages")]
public sealed class ZulipSink(IPluginContext context, ZulipOptions options) : ISink, ITargetBinder
{
    private const string Operation = "zulip send message";

    public object BindTarget(string? targetName, object? descriptor) => ZulipTarget.From(descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        List<KeyValuePair<string, string>> form;
        try
        {
            form = Form(item, Descriptor.Bound(item, d => ZulipTarget.From(d), "zulip"));
        }
        catch (FormatException ex)
        {
            throw new PermanentDeliveryException($"zulip: {ex.Message}");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.Site.TrimEnd('/')}/api/v1/messages") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Email}:{options.ApiKey}")));
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, Operation, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, cancellationToken);
        }

        context.Logger.LogDebug("zulip: sent the message of target {Target}", item.Target);
    }

    private List<KeyValuePair<string, string>> Form(DeliveryItem item, ZulipTarget target)
    {
        var titleInContent = item.Title.Length > 0;
        List<KeyValuePair<string, string>> form;
        if (target.Recipients is { } recipients)
        {
            var to = recipients.All(r => long.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                ? JsonSerializer.Serialize(recipients.Select(r => long.Parse(r, CultureInfo.InvariantCulture)))
                : JsonSerializer.Serialize(recipients);
            form = [new("type", "direct"), new("to", to)];
        }
        else
        {
            string topic;
            if (target.Topic is { } format)
            {
                topic = context.Formatter.Format(format, item.Data);
            }
            else if (item.Title.Length > 0)
            {
                (topic, titleInContent) = (item.Title, false);
            }
            else
            {
                topic = options.Topic;
            }

            form = [new("type", "stream"), new("to", target.Stream!), new("topic", topic)];
        }

        form.Add(new("content", titleInContent ? $"**{item.Title}**\n{item.Message}" : item.Message));
        return form;
    }

    /// <summary>Zulip explains a refusal as <c>{"result": "error", "msg": …, "code": …}</c>; a 429 also gives <c>retry-after</c> in seconds.</summary>
    private async Task<Exception> FailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string? reason = HttpDelivery.Shorten(text);
        TimeSpan? retryAfter = null;
        try
        {
            using var reply = JsonDocument.Parse(text);
            reason = ChatHttp.Text(reply.RootElement, "msg") ?? reason;
            if (reply.RootElement.ValueKind == JsonValueKind.Object && reply.RootElement.TryGetProperty("retry-after", out var seconds)
                && seconds.TryGetDouble(out var s) && s >= 0)
            {
                retryAfter = TimeSpan.FromSeconds(s);
            }
        }
        catch (JsonException)
        {
            // a proxy's error page: the body is the reason
        }

        return HttpDelivery.Failure(Operation, response.StatusCode, reason, retryAfter ?? RetryAfter.From(response, context.TimeProvider));
    }
}
