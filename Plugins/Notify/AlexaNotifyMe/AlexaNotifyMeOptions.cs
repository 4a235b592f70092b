namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>alexa-notify-me</c> plugin (<c>[config:NAME]</c>). The access code is each target's descriptor, as in mqttwarn.</summary>
public sealed class AlexaNotifyMeOptions : IValidatableOptions
{
    [Option(Description = "the Notify Me API base URL (a test server, or a proxy)")]
    public string ApiUrl { get; set; } = "https://api.notifymyecho.com";

    public IEnumerable<OptionProblem> Validate()
    {
        if (!Uri.TryCreate(ApiUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return new OptionProblem("api_url", "must be an http(s) URL");
        }
    }
}
