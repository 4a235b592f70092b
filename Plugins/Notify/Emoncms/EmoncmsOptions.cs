namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>emoncms</c> plugin (<c>[config:NAME]</c>), mqttwarn's names.</summary>
public sealed class EmoncmsOptions : IValidatableOptions
{
    [Option(Description = "the EmonCMS base URL, e.g. http://localhost/emoncms or https://emoncms.org", Required = true)]
    public string Url { get; set; } = "";

    [Option(Description = "the read-write API key (never logged)", Required = true)]
    public string Apikey { get; set; } = "";

    [Option(Description = "seconds to wait for EmonCMS's answer")]
    public int Timeout { get; set; } = 5;

    public IEnumerable<OptionProblem> Validate()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0)
        {
            yield return new OptionProblem("url", "must be an http(s) URL without query");
        }

        if (string.IsNullOrWhiteSpace(Apikey))
        {
            yield return new OptionProblem("apikey", "must not be empty");
        }

        if (Timeout <= 0)
        {
            yield return new OptionProblem("timeout", "must be a positive number of seconds");
        }
    }
}
