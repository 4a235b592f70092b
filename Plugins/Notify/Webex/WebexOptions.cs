namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>webex</c> plugin (<c>[config:NAME]</c>): a bot's access token.</summary>
public sealed class WebexOptions : IValidatableOptions
{
    [Option(Description = "the bot's access token (Authorization: Bearer; never logged)", Required = true)]
    public string Token { get; set; } = "";

    [Option(Description = "the Webex API base URL (a test server, or a proxy)")]
    public string ApiUrl { get; set; } = "https://webexapis.com";

    public IEnumerable<OptionProblem> Validate()
    {
        if (string.IsNullOrWhiteSpace(Token))
        {
            yield return new OptionProblem("token", "must not be empty");
        }

        if (!Uri.TryCreate(ApiUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return new OptionProblem("api_url", "must be an http(s) URL");
        }
    }
}
