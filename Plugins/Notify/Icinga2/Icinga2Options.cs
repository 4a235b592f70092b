namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>icinga2</c> plugin (<c>[config:NAME]</c>), mqttwarn's names plus <c>insecure</c>.</summary>
public sealed class Icinga2Options : IValidatableOptions
{
    [Option(Description = "the Icinga 2 API host, with or without scheme (https:// when none; http:// only for tests or a TLS proxy)", Required = true)]
    public string Host { get; set; } = "";

    [Option(Description = "the API port")]
    public int Port { get; set; } = 5665;

    [Option(Description = "the API user (basic authentication)")]
    public string? Username { get; set; }

    [Option(Description = "the API user's password (never logged)")]
    public string? Password { get; set; }

    [Option(Description = "a PEM file with the CA that signed the API's certificate (Icinga's own CA, usually); relative to the config file")]
    public string? Cacert { get; set; }

    [Option(Description = "accept any server certificate (never in production)")]
    public bool Insecure { get; set; }

    public IEnumerable<OptionProblem> Validate()
    {
        if (Icinga2Api.BaseUri(Host, Port) is null)
        {
            yield return new OptionProblem("host", "must be a host name or an http(s) URL without path");
        }

        if (Port is < 1 or > 65535)
        {
            yield return new OptionProblem("port", "must be between 1 and 65535");
        }

        if ((Username is null) != (Password is null))
        {
            yield return new OptionProblem(Username is null ? "username" : "password", "username and password go together");
        }

        if (Cacert is not null && Insecure)
        {
            yield return new OptionProblem("insecure", "cacert and insecure exclude each other");
        }
    }
}
