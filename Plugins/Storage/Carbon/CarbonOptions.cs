namespace Hub.Plugins.Storage;

/// <summary>Options of the <c>carbon</c> plugin (<c>[config:NAME]</c>).</summary>
public sealed class CarbonOptions : IValidatableOptions
{
    [Option(Description = "carbon's host, for targets that do not name one")]
    public string Host { get; set; } = "localhost";

    [Option(Description = "carbon's port, for targets that do not name one (0: 2003 for plaintext, 2004 for pickle)")]
    public int Port { get; set; }

    [Option(Description = "plaintext (one 'metric value time' line each, port 2003) or pickle (batches as Python pickles, port 2004)")]
    public string Protocol { get; set; } = "plaintext";

    [Option(Description = "text put before every metric name (e.g. 'hub.'); empty: none")]
    public string Prefix { get; set; } = "";

    [Option(Description = "seconds to wait for carbon to take a batch (connect, write, and close)")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<OptionProblem> Validate()
    {
        if (Protocol is not ("plaintext" or "pickle"))
        {
            yield return new OptionProblem("protocol", $"must be plaintext or pickle, not '{Protocol}'");
        }

        if (Port is < 0 or > 65535)
        {
            yield return new OptionProblem("port", $"must be between 1 and 65535, not {Port}");
        }

        if (Prefix.Any(char.IsWhiteSpace))
        {
            yield return new OptionProblem("prefix", "must not contain spaces");
        }
    }
}
