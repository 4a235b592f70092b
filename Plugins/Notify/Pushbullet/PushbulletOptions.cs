using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>pushbullet</c> plugin (<c>[config:NAME]</c>); the access token is in each target, as in mqttwarn.</summary>
public sealed class PushbulletOptions : IValidatableOptions
{
    [Option(Description = "the API base URL ({api_url}/v2/pushes): a test server or a proxy")]
    public string ApiUrl { get; set; } = "https://api.pushbullet.com";

    public IEnumerable<OptionProblem> Validate()
    {
        if (!HttpSend.IsHttpUrl(ApiUrl))
        {
            yield return new OptionProblem("api_url", $"must be an http(s) URL (got '{ApiUrl}')");
        }
    }
}
