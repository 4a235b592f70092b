namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>http</c> plugin (<c>[config:NAME]</c>), mqttwarn's <c>http_urllib</c>.</summary>
public sealed class HttpOptions : IValidatableOptions
{
    [Option(Description = "seconds to wait for the whole request and response (mqttwarn's default: 60)")]
    public int Timeout { get; set; } = 60;

    public IEnumerable<OptionProblem> Validate()
    {
        if (Timeout <= 0)
        {
            yield return new OptionProblem("timeout", "must be a positive number of seconds");
        }
    }
}
