using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>pushsafer</c> plugin (<c>[config:NAME]</c>); keys are in the targets (or <c>PUSHSAFER_TOKEN</c>).</summary>
public sealed class PushsaferOptions : IValidatableOptions
{
    [Option(Description = "the API base URL ({api_url}/api): a test server or a proxy")]
    public string ApiUrl { get; set; } = "https://www.pushsafer.com";

    public IEnumerable<OptionProblem> Validate()
    {
        if (!HttpSend.IsHttpUrl(ApiUrl))
        {
            yield return new OptionProblem("api_url", $"must be an http(s) URL (got '{ApiUrl}')");
        }
    }
}
