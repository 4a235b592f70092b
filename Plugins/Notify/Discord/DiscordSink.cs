using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Posts each message to a Discord channel webhook: plain <c>content</c>, or, when the item has a
/// title, an embed with the title, the message and a colour by priority.
/// </summary>
[Plugin("discord", Description = "Post messages to a Discord channel webhook")]
public sealed class DiscordSink(IPluginContext context, DiscordOptions options) : ISink, ITargetBinder
{
    /// <summary>Discord's limits: message content, embed title and embed description.</summary>
    public const int ContentLimit = 2000, TitleLimit = 256, DescriptionLimit = 4096;

    public object BindTarget(string? targetName, object? descriptor) => DiscordTarget.From(options, descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => DiscordTarget.From(options, d), "discord");

        using var request = new HttpRequestMessage(HttpMethod.Post, target.WebhookUrl) { Content = HttpDelivery.Json(Body(item, target)) };
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, "discord webhook", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, cancellationToken);
        }

        context.Logger.LogDebug("discord: posted to the webhook of target {Target}", item.Target);
    }

    /// <summary>Discord's brand colours: grey, green, yellow, red.</summary>
    public static int Colour(int priority) => priority switch
    {
        < 0 => 0xA0A0A0,
        0 => 0x57F287,
        1 => 0xFEE75C,
        _ => 0xED4245,
    };

    private static JsonObject Body(DeliveryItem item, DiscordTarget target)
    {
        var body = new JsonObject();
        if (item.Title.Length == 0)
        {
            body["content"] = Truncate(item.Message, ContentLimit);
        }
        else
        {
            body["embeds"] = new JsonArray(new JsonObject
            {
                ["title"] = Truncate(item.Title, TitleLimit),
                ["description"] = Truncate(item.Message, DescriptionLimit),
                ["color"] = Colour(item.Priority),
            });
        }

        if (target.Username is { } username)
        {
            body["username"] = username;
        }

        if (target.AvatarUrl is { } avatar)
        {
            body["avatar_url"] = avatar;
        }

        return body;
    }

    /// <summary>Discord explains a refusal as <c>{"message": …, "code": …}</c>, and a 429 also with <c>retry_after</c> in (fractional) seconds.</summary>
    private async Task<Exception> FailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string? reason = HttpDelivery.Shorten(text);
        TimeSpan? retryAfter = null;
        try
        {
            using var reply = JsonDocument.Parse(text);
            if (reply.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (reply.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    reason = message.GetString();
                }

                if (reply.RootElement.TryGetProperty("retry_after", out var seconds) && seconds.TryGetDouble(out var s) && s >= 0)
                {
                    retryAfter = TimeSpan.FromSeconds(s);
                }
            }
        }
        catch (JsonException)
        {
            // not Discord's JSON (a proxy's error page): the body text is the reason
        }

        return HttpDelivery.Failure("discord webhook", response.StatusCode, reason, retryAfter ?? RetryAfter.From(response, context.TimeProvider));
    }

    private static string Truncate(string text, int limit) =>
        text.Length <= limit ? text : text[..(char.IsHighSurrogate(text[limit - 2]) ? limit - 2 : limit - 1)] + "…";
}
