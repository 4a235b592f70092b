namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>apprise</c> plugin (<c>[config:NAME]</c>): mqttwarn's <c>apprise_single</c>, sent through an Apprise API server.</summary>
public sealed class AppriseOptions : IValidatableOptions
{
    [Option(Description = "the Apprise notification URL, e.g. mailtos://user:pass@mail.example.org (never logged)", Required = true)]
    public string Baseuri { get; set; } = "";

    [Option(Description = "the sender address, added to the Apprise URL as from=")]
    public string? Sender { get; set; }

    [Option(Description = "the sender's display name, added to the Apprise URL as name=")]
    public string? SenderName { get; set; }

    [Option(Description = "the Apprise API server that delivers the notification (its stateless /notify/ endpoint)")]
    public string ApiUrl { get; set; } = "http://localhost:8000";

    [Option(Description = "the body's format for Apprise: text, markdown or html (unset: Apprise's default, text)")]
    public string? Format { get; set; }

    public IEnumerable<OptionProblem> Validate()
    {
        if (!Uri.TryCreate(ApiUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            yield return new OptionProblem("api_url", "must be an http(s) URL");
        }

        // An Apprise URL is schema://…; the schema names the service (mailto, json, tgram, …).
        var schema = Baseuri.IndexOf("://", StringComparison.Ordinal);
        if (schema <= 0 || !Baseuri[..schema].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            yield return new OptionProblem("baseuri", "must be an Apprise URL (schema://…)");
        }

        if (Format is not (null or "text" or "markdown" or "html"))
        {
            yield return new OptionProblem("format", $"must be text, markdown or html, not '{Format}'");
        }
    }
}
