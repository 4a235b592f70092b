using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>signal</c> plugin (<c>[config:NAME]</c>): the signal-cli REST API and the sending account.</summary>
public sealed class SignalOptions : IValidatableOptions
{
    [Option(Description = "the signal-cli REST API's base URL (messages go to {url}/v2/send)", Required = true)]
    public string Url { get; set; } = "";

    [Option(Description = "the registered account that sends (+E.164); a target may name its own")]
    public string? Number { get; set; }

    public IEnumerable<OptionProblem> Validate()
    {
        if (!HttpSend.IsHttpUrl(Url))
        {
            yield return new OptionProblem("url", "must be an http(s) URL");
        }
    }
}
