namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>zulip</c> plugin (<c>[config:NAME]</c>): the organisation and a bot's credentials.</summary>
public sealed class ZulipOptions : IValidatableOptions
{
    [Option(Description = "the organisation's URL, e.g. https://example.zulipchat.com", Required = true)]
    public string Site { get; set; } = "";

    [Option(Description = "the bot's e-mail address (the user of HTTP basic authentication)", Required = true)]
    public string Email { get; set; } = "";

    [Option(Description = "the bot's API key (the password of HTTP basic authentication; never logged)", Required = true)]
    public string ApiKey { get; set; } = "";

    [Option(Description = "the topic of channel messages when neither the target nor the title gives one")]
    public string Topic { get; set; } = "hub";

    public IEnumerable<OptionProblem> Validate()
    {
        if (!Uri.TryCreate(Site, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return new OptionProblem("site", "must be an http(s) URL");
        }

        if (string.IsNullOrWhiteSpace(Email))
        {
            yield return new OptionProblem("email", "must not be empty");
        }

        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            yield return new OptionProblem("api_key", "must not be empty");
        }

        if (string.IsNullOrWhiteSpace(Topic))
        {
            yield return new OptionProblem("topic", "must not be empty");
        }
    }
}
