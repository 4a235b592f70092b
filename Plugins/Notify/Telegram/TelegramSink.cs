using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Sends each message through the Telegram Bot API: <c>sendMessage</c> (split at the 4096-character
/// limit), or <c>sendPhoto</c> with the title as caption when the payload is a JPEG, PNG or GIF.
/// First names are resolved to chat ids with <c>getUpdates</c> and remembered.
/// </summary>
[Plugin("telegram", Description = "Send messages and images through a Telegram bot")]
public sealed class TelegramSink(IPluginContext context, TelegramOptions options) : ISink, ITargetValidator
{
    public const int TextLimit = 4096;
    public const int CaptionLimit = 1024;

    private readonly ConcurrentDictionary<string, long> _idsByName = new(StringComparer.Ordinal);

    public IEnumerable<string> ValidateTarget(string? targetName, object? descriptor) => Descriptor.Problems(() => TelegramChat.From(descriptor, options.UseChatId));

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var chat = TelegramChat.From(item.Addrs, options.UseChatId);
        JsonNode chatId = chat switch
        {
            { Id: { } id } => id,
            { Username: { } username } => username,
            _ => await ResolveAsync(chat.FirstName!, cancellationToken),
        };

        if (ImagePayload.Detect(item.Payload.Span) is { } image)
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent(chatId.ToString()), "chat_id" },
                { new StringContent(Truncate(item.Title, CaptionLimit)), "caption" },
            };
            if (options.ParseMode is { } mode)
            {
                form.Add(new StringContent(mode), "parse_mode");
            }

            var photo = new ByteArrayContent(item.Payload.ToArray());
            photo.Headers.ContentType = new MediaTypeHeaderValue(image.MediaType);
            form.Add(photo, "photo", image.FileName);
            await CallAsync("sendPhoto", form, cancellationToken);
            context.Logger.LogDebug("telegram: sent a {MediaType} photo to {Chat}", image.MediaType, chatId.ToString());
            return;
        }

        var chunks = MessageChunks.Split(item.Message, TextLimit);
        foreach (var text in chunks)
        {
            var body = new JsonObject { ["chat_id"] = chatId.DeepClone(), ["text"] = text };
            if (options.ParseMode is { } mode)
            {
                body["parse_mode"] = mode;
            }

            if (options.DisableWebPagePreview)
            {
                body["disable_web_page_preview"] = true;
            }

            using var content = HttpDelivery.Json(body);
            await CallAsync("sendMessage", content, cancellationToken);
        }

        context.Logger.LogDebug("telegram: sent {Count} message(s) to {Chat}", chunks.Count, chatId.ToString());
    }

    /// <summary>Finds the chat of a first name (or a username without @) among the bot's recent updates.</summary>
    private async Task<long> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        if (_idsByName.TryGetValue(name, out var known))
        {
            return known;
        }

        var result = await CallAsync("getUpdates", null, cancellationToken);
        foreach (var update in result.EnumerateArray())
        {
            if (update.TryGetProperty("message", out var message) && message.TryGetProperty("chat", out var chat)
                && (Is(message, "from", "first_name", name) || Is(message, "from", "username", name) || Is(message, "chat", "first_name", name))
                && chat.TryGetProperty("id", out var id) && id.TryGetInt64(out var chatId))
            {
                _idsByName[name] = chatId;
                return chatId;
            }
        }

        throw new PermanentDeliveryException($"telegram: no chat with '{name}' in the bot's updates (send the bot a message first, or use '#chat_id')");
    }

    private static bool Is(JsonElement message, string part, string field, string value) =>
        message.TryGetProperty(part, out var p) && p.TryGetProperty(field, out var f) && f.ValueKind == JsonValueKind.String && f.GetString() == value;

    /// <summary>Calls a Bot API method; returns its <c>result</c> or throws with the API's description (never the URL: it holds the token).</summary>
    private async Task<JsonElement> CallAsync(string method, HttpContent? content, CancellationToken cancellationToken)
    {
        var url = $"{options.ApiUrl.TrimEnd('/')}/bot{options.Token}/{method}";
        using var request = new HttpRequestMessage(content is null ? HttpMethod.Get : HttpMethod.Post, url) { Content = content };
        using var response = await context.CreateHttpClient().SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement reply = default;
        try
        {
            using var document = JsonDocument.Parse(text);
            reply = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // not the Bot API's JSON (a proxy's error page): the status decides below
        }

        var ok = reply.ValueKind == JsonValueKind.Object && reply.TryGetProperty("ok", out var flag) && flag.ValueKind == JsonValueKind.True;
        if (response.IsSuccessStatusCode && ok)
        {
            return reply.TryGetProperty("result", out var result) ? result : default;
        }

        var description = reply.ValueKind == JsonValueKind.Object && reply.TryGetProperty("description", out var d) ? d.GetString() : HttpDelivery.Shorten(text);
        TimeSpan? retryAfter = reply.ValueKind == JsonValueKind.Object && reply.TryGetProperty("parameters", out var p)
            && p.TryGetProperty("retry_after", out var seconds) && seconds.TryGetInt32(out var s)
            ? TimeSpan.FromSeconds(s)
            : RetryAfter.From(response, context.TimeProvider);
        throw HttpDelivery.Failure($"telegram {method}", response.StatusCode, description, retryAfter);
    }

    private static string Truncate(string text, int limit) =>
        text.Length <= limit ? text : text[..(char.IsHighSurrogate(text[limit - 2]) ? limit - 2 : limit - 1)] + "…";
}
