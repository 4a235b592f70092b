namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>telegram</c> plugin (<c>[config:NAME]</c>).</summary>
public sealed class TelegramOptions : IValidatableOptions
{
    [Option(Description = "the bot token from @BotFather (never logged)", Required = true)]
    public string Token { get; set; } = "";

    [Option(Description = "Markdown, MarkdownV2 or HTML; unset sends plain text (the field is left out of the request)")]
    public string? ParseMode { get; set; }

    [Option(Description = "the target is a numeric chat id rather than a first name, @username or #chat_id")]
    public bool UseChatId { get; set; }

    [Option(Description = "do not show link previews in messages")]
    public bool DisableWebPagePreview { get; set; }

    [Option(Description = "the Bot API base URL (a local Bot API server, or a test server)")]
    public string ApiUrl { get; set; } = "https://api.telegram.org";

    public IEnumerable<OptionProblem> Validate()
    {
        if (string.IsNullOrWhiteSpace(Token))
        {
            yield return new OptionProblem("token", "must not be empty");
        }

        if (ParseMode is { } mode && mode is not ("Markdown" or "MarkdownV2" or "HTML"))
        {
            yield return new OptionProblem("parse_mode", $"must be Markdown, MarkdownV2 or HTML (got '{mode}')");
        }

        if (!Uri.TryCreate(ApiUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return new OptionProblem("api_url", $"must be an http(s) URL (got '{ApiUrl}')");
        }
    }
}
