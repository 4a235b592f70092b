using Telegram.Bot;

namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>telegram</c> plugin (<c>[config:NAME]</c>).</summary>
public sealed class TelegramOptions : IValidatableOptions
{
    public const string DefaultApiUrl = "https://api.telegram.org";

    [Option(Description = "the bot token from @BotFather (never logged)", Required = true)]
    public string Token { get; set; } = "";

    [Option(Description = "Markdown, MarkdownV2 or HTML; unset sends plain text (the field is left out of the request)")]
    public string? ParseMode { get; set; }

    [Option(Description = "the target is a numeric chat id rather than a first name, @username or #chat_id")]
    public bool UseChatId { get; set; }

    [Option(Description = "do not show link previews in messages")]
    public bool DisableWebPagePreview { get; set; }

    [Option(Description = "the Bot API base URL, scheme://host[:port] without a path (a local Bot API server, or a test server)")]
    public string ApiUrl { get; set; } = DefaultApiUrl;

    public IEnumerable<OptionProblem> Validate()
    {
        if (string.IsNullOrWhiteSpace(Token))
        {
            yield return new OptionProblem("token", "must not be empty");
        }
        else if (!IsTokenShaped(Token))
        {
            // Telegram.Bot reads the bot id before the colon; the message never repeats the token.
            yield return new OptionProblem("token", "must look like 123456789:AA… (the bot id, a colon, the secret from @BotFather)");
        }

        if (ParseMode is { } mode && mode is not ("Markdown" or "MarkdownV2" or "HTML"))
        {
            yield return new OptionProblem("parse_mode", $"must be Markdown, MarkdownV2 or HTML (got '{mode}')");
        }

        if (!Uri.TryCreate(ApiUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return new OptionProblem("api_url", $"must be an http(s) URL (got '{ApiUrl}')");
        }
        else if (uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            yield return new OptionProblem("api_url", $"must be scheme://host[:port] without a path: Telegram.Bot ignores the path (got '{ApiUrl}')");
        }
    }

    private static bool IsTokenShaped(string token)
    {
        try
        {
            _ = new TelegramBotClientOptions(token);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
