namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>slack</c> plugin (<c>[config:NAME]</c>): a bot token for <c>chat.postMessage</c>, or an incoming webhook.</summary>
public sealed class SlackOptions : IValidatableOptions
{
    [Option(Description = "a bot token (xoxb-…) for chat.postMessage; a target may bring its own (never logged)")]
    public string? Token { get; set; }

    [Option(Description = "an incoming-webhook URL, used by targets without a token (never logged)")]
    public string? WebhookUrl { get; set; }

    [Option(Description = "the Web API base URL (a test server, or an enterprise proxy)")]
    public string ApiUrl { get; set; } = "https://slack.com/api";

    public IEnumerable<OptionProblem> Validate()
    {
        foreach (var (key, value) in new[] { ("api_url", ApiUrl), ("webhook_url", WebhookUrl) })
        {
            if (value is not null && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            {
                yield return new OptionProblem(key, "must be an http(s) URL");
            }
        }
    }
}
