namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>ifttt</c> plugin (<c>[config:NAME]</c>). The key and the event are each target's descriptor, as in mqttwarn.</summary>
public sealed class IftttOptions : IValidatableOptions
{
    [Option(Description = "the Webhooks service's base URL (a test server, or a proxy)")]
    public string BaseUrl { get; set; } = "https://maker.ifttt.com";

    public IEnumerable<OptionProblem> Validate()
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return new OptionProblem("base_url", "must be an http(s) URL");
        }
    }
}
