namespace Hub.Plugins.Storage;

/// <summary>Options of the <c>influxdb</c> plugin (<c>[config:NAME]</c>): mqttwarn's names for the v1 API, plus the v2 API's.</summary>
public sealed class InfluxOptions : IValidatableOptions
{
    [Option(Description = "the write API: v1 (POST /write, InfluxDB 1.x) or v2 (POST /api/v2/write, InfluxDB 2.x/3.x and Cloud)")]
    public string Api { get; set; } = "v1";

    [Option(Description = "http or https (ignored when url is set)")]
    public string Scheme { get; set; } = "http";

    [Option(Description = "the server's host name (ignored when url is set)")]
    public string Host { get; set; } = "localhost";

    [Option(Description = "the server's HTTP port (ignored when url is set)")]
    public int Port { get; set; } = 8086;

    [Option(Description = "the server's base URL (e.g. https://eu-central-1-1.aws.cloud2.influxdata.com); wins over scheme, host and port")]
    public string? Url { get; set; }

    [Option(Description = "v1: the user for HTTP basic authentication (none when unset)")]
    public string? Username { get; set; }

    [Option(Description = "v1: the password for HTTP basic authentication")]
    public string? Password { get; set; }

    [Option(Description = "v1: the database written to (a target may name another)")]
    public string? Database { get; set; }

    [Option(Description = "v1: the retention policy (empty: the database's default)")]
    public string Rp { get; set; } = "";

    [Option(Description = "timestamp precision: ns, u (us), ms, s, and for v1 also m and h")]
    public string Precision { get; set; } = "ns";

    [Option(Description = "v2: the organization (name or id)")]
    public string? Org { get; set; }

    [Option(Description = "v2: the bucket written to (a target may name another)")]
    public string? Bucket { get; set; }

    [Option(Description = "v2: the API token, sent as 'Authorization: Token ...' (never logged)")]
    public string? Token { get; set; }

    [Option(Description = "add the tag topic=TOPIC (slashes as underscores) to every point, as mqttwarn does")]
    public bool TopicTag { get; set; } = true;

    public Uri BaseUrl => new(Url is { Length: > 0 } url ? url.TrimEnd('/') + "/" : $"{Scheme}://{Host}:{Port}/");

    public bool IsV2 => string.Equals(Api, "v2", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<OptionProblem> Validate()
    {
        if (!string.Equals(Api, "v1", StringComparison.OrdinalIgnoreCase) && !IsV2)
        {
            yield return new OptionProblem("api", $"must be v1 or v2, not '{Api}'");
        }

        if (Scheme is not ("http" or "https"))
        {
            yield return new OptionProblem("scheme", $"must be http or https, not '{Scheme}'");
        }

        if (Url is { Length: > 0 } && !Uri.TryCreate(Url, UriKind.Absolute, out _))
        {
            yield return new OptionProblem("url", $"is not an absolute URL: '{Url}'");
        }

        if (LineProtocol.PrecisionProblem(Precision, IsV2) is { } problem)
        {
            yield return new OptionProblem("precision", problem);
        }

        if (IsV2 && string.IsNullOrEmpty(Token))
        {
            yield return new OptionProblem("token", "is required for api = v2");
        }

        if (IsV2 && string.IsNullOrEmpty(Org))
        {
            yield return new OptionProblem("org", "is required for api = v2");
        }
    }
}
