using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>autoremote</c> plugin (<c>[config:NAME]</c>); the key is in each target, as in mqttwarn.</summary>
public sealed class AutoremoteOptions : IValidatableOptions
{
    [Option(Description = "the AutoRemote base URL ({api_url}/sendmessage): a test server or a proxy")]
    public string ApiUrl { get; set; } = "https://autoremotejoaomgcd.appspot.com";

    public IEnumerable<OptionProblem> Validate()
    {
        if (!HttpSend.IsHttpUrl(ApiUrl))
        {
            yield return new OptionProblem("api_url", $"must be an http(s) URL (got '{ApiUrl}')");
        }
    }
}
