using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>opsgenie</c> plugin (<c>[config:NAME]</c>).</summary>
public sealed class OpsgenieOptions : IValidatableOptions
{
    [Option(Description = "the API integration key (Authorization: GenieKey) for targets without their own (never logged)")]
    public string? ApiKey { get; set; }

    [Option(Description = "the alias (Opsgenie's deduplication key), formatted with the data; unset: none")]
    public string? Alias { get; set; }

    [Option(Description = "the alert's source, formatted with the data; unset: the topic")]
    public string? Source { get; set; }

    [Option(Description = "the alert's entity (the affected domain), formatted with the data")]
    public string? Entity { get; set; }

    [Option(Description = "tags for every alert (a list or comma-separated text)")]
    public IReadOnlyList<string> Tags { get; set; } = [];

    [Option(Description = "the API base URL ({api_url}/v2/alerts); EU accounts: https://api.eu.opsgenie.com")]
    public string ApiUrl { get; set; } = "https://api.opsgenie.com";

    public IEnumerable<OptionProblem> Validate()
    {
        if (!HttpSend.IsHttpUrl(ApiUrl))
        {
            yield return new OptionProblem("api_url", $"must be an http(s) URL (got '{ApiUrl}')");
        }
    }
}
