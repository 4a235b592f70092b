using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Hub.Plugins.Notify;

/// <summary>
/// Sends each message through the Telegram Bot API with Telegram.Bot: <c>sendMessage</c> (split at
/// the 4096-character limit), or <c>sendPhoto</c> with the title as caption when the payload is a
/// JPEG, PNG or GIF. First names are resolved to chat ids with <c>getUpdates</c> and remembered.
/// Telegram.Bot's own retry is off: the host retries, honouring the API's <c>retry_after</c>.
/// </summary>
[Plugin("telegram", Description = "Send messages and images through a Telegram bot (Telegram.Bot)")]
public sealed class TelegramSink : ISink, ITargetBinder
{
    public const int TextLimit = 4096;
    public const int CaptionLimit = 1024;

    // The Retry-After header of the current call's response (a proxy's 429 carries no retry_after in a body).
    private static readonly AsyncLocal<StrongBox<TimeSpan?>?> RetryAfterHeader = new();

    private readonly IPluginContext _context;
    private readonly TelegramOptions _options;
    private readonly TelegramBotClient _bot;
    private readonly ConcurrentDictionary<string, long> _idsByName = new(StringComparer.Ordinal);

    public TelegramSink(IPluginContext context, TelegramOptions options)
    {
        _context = context;
        _options = options;
        _bot = new TelegramBotClient(new TelegramBotClientOptions(options.Token, options.ApiUrl == TelegramOptions.DefaultApiUrl ? null : options.ApiUrl) { RetryCount = 0 }, context.CreateHttpClient());
        _bot.OnApiResponseReceived += (_, args, _) =>
        {
            if (RetryAfterHeader.Value is { } box)
            {
                box.Value = RetryAfter.From(args.ResponseMessage, context.TimeProvider);
            }

            return default;
        };
    }

    public object BindTarget(string? targetName, object? descriptor) => TelegramChat.From(descriptor, _options.UseChatId);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var chat = Descriptor.Bound(item, d => TelegramChat.From(d, _options.UseChatId), "telegram");
        ChatId chatId = chat switch
        {
            { Id: { } id } => id,
            { Username: { } username } => username,
            _ => await ResolveAsync(chat.FirstName!, cancellationToken),
        };

        if (ImagePayload.Detect(item.Payload.Span) is { } image)
        {
            using var photo = new MemoryStream(item.Payload.ToArray());
            await CallAsync("sendPhoto", ct => _bot.SendPhoto(chatId, InputFile.FromStream(photo, image.FileName), Truncate(item.Title, CaptionLimit), ParseMode, cancellationToken: ct), cancellationToken);
            _context.Logger.LogDebug("telegram: sent a {MediaType} photo to {Chat}", image.MediaType, chatId.ToString());
            return;
        }

        var chunks = MessageChunks.Split(item.Message, TextLimit);
        foreach (var text in chunks)
        {
            await CallAsync("sendMessage", ct => _bot.SendMessage(chatId, text, ParseMode,
                linkPreviewOptions: _options.DisableWebPagePreview ? new LinkPreviewOptions { IsDisabled = true } : null, cancellationToken: ct), cancellationToken);
        }

        _context.Logger.LogDebug("telegram: sent {Count} message(s) to {Chat}", chunks.Count, chatId.ToString());
    }

    private ParseMode ParseMode => _options.ParseMode switch
    {
        "Markdown" => ParseMode.Markdown,
        "MarkdownV2" => ParseMode.MarkdownV2,
        "HTML" => ParseMode.Html,
        _ => ParseMode.None,
    };

    /// <summary>Finds the chat of a first name (or a username without @) among the bot's recent updates.</summary>
    private async Task<long> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        if (_idsByName.TryGetValue(name, out var known))
        {
            return known;
        }

        var updates = await CallAsync("getUpdates", ct => _bot.GetUpdates(cancellationToken: ct), cancellationToken);
        var message = updates.Select(u => u.Message).FirstOrDefault(m => m is not null && (m.From?.FirstName == name || m.From?.Username == name || m.Chat.FirstName == name))
            ?? throw new PermanentDeliveryException($"telegram: no chat with '{name}' in the bot's updates (send the bot a message first, or use '#chat_id')");
        return _idsByName[name] = message.Chat.Id;
    }

    /// <summary>
    /// Calls a Bot API method and turns Telegram.Bot's errors into the host's: the API's refusal (its
    /// description; 429 and 5xx transient with <c>retry_after</c>), an answer that is not the API's
    /// (a proxy's error page), or no answer at all (transient). Never the URL: it holds the token.
    /// </summary>
    private static async Task<T> CallAsync<T>(string method, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var retryAfterHeader = RetryAfterHeader.Value = new StrongBox<TimeSpan?>();
        var operation = $"telegram {method}";
        try
        {
            return await call(cancellationToken);
        }
        catch (ApiRequestException ex)
        {
            var retryAfter = ex.Parameters?.RetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : retryAfterHeader.Value;
            throw HttpDelivery.Failure(operation, (HttpStatusCode)ex.ErrorCode, ex.Message, retryAfter);
        }
        catch (RequestException ex) when (ex.HttpStatusCode is { } status)
        {
            throw HttpDelivery.Failure(operation, status, ex.Message, retryAfterHeader.Value);
        }
        catch (RequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = ex.InnerException switch
            {
                HttpRequestException http => HttpSend.Describe(http.HttpRequestError),
                IOException => "the connection broke",
                OperationCanceledException => "no answer in time",
                _ => "the request failed",
            };
            throw new TransientDeliveryException($"{operation} failed: {reason}", null, ex.InnerException);
        }
        finally
        {
            RetryAfterHeader.Value = null;
        }
    }

    private static string Truncate(string text, int limit) =>
        text.Length <= limit ? text : text[..(char.IsHighSurrogate(text[limit - 2]) ? limit - 2 : limit - 1)] + "…";
}
