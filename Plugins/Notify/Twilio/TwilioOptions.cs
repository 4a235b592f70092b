using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>twilio</c> plugin (<c>[config:NAME]</c>); the account and numbers are in each target, as in mqttwarn.</summary>
public sealed class TwilioOptions : IValidatableOptions
{
    [Option(Description = "the API base URL ({api_url}/2010-04-01/Accounts/{sid}/Messages.json): a test server or a proxy")]
    public string ApiUrl { get; set; } = "https://api.twilio.com";

    public IEnumerable<OptionProblem> Validate()
    {
        if (!HttpSend.IsHttpUrl(ApiUrl))
        {
            yield return new OptionProblem("api_url", $"must be an http(s) URL (got '{ApiUrl}')");
        }
    }
}
