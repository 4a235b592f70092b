namespace Hub.Plugins.Storage;

/// <summary>Options of the <c>elasticsearch</c> plugin (<c>[config:NAME]</c>); the same for OpenSearch.</summary>
public sealed class ElasticOptions : IValidatableOptions
{
    [Option(Description = "the cluster's base URL; the bulk API is URL/_bulk")]
    public string Url { get; set; } = "http://localhost:9200";

    [Option(Description = "the user for HTTP basic authentication (none when unset)")]
    public string? Username { get; set; }

    [Option(Description = "the password for HTTP basic authentication; never logged")]
    public string? Password { get; set; }

    [Option(Description = "an API key (the base64 'id:key' Elasticsearch returns), sent as 'Authorization: ApiKey ...'; never logged")]
    public string? ApiKey { get; set; }

    [Option(Description = "the document field set to the message's arrival time (ISO 8601, UTC) when the document has none; empty: no time field")]
    public string TimestampField { get; set; } = "@timestamp";

    [Option(Description = "give each document an id made from its topic, arrival time and payload, so a batch sent again replaces its documents instead of adding them twice")]
    public bool StableIds { get; set; } = true;

    public Uri BulkUrl => new(Url.TrimEnd('/') + "/_bulk");

    public IEnumerable<OptionProblem> Validate()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            yield return new OptionProblem("url", $"must be an http or https URL, not '{Url}'");
        }

        if (ApiKey is { Length: > 0 } && Username is { Length: > 0 })
        {
            yield return new OptionProblem("api_key", "use api_key or username and password, not both");
        }
    }
}
