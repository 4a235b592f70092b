using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>pushover</c> plugin (<c>[config:NAME]</c>), mqttwarn's names.</summary>
public sealed class PushoverOptions : IValidatableOptions
{
    [Option(Description = "a URL Pushover calls when an emergency (priority 2) message is acknowledged")]
    public string? Callback { get; set; }

    [Option(Description = "seconds between repeats of an emergency message (at least 30); unset: env PUSHOVER_API_RETRY, else 60")]
    public int? ApiRetry { get; set; }

    [Option(Description = "seconds an emergency message keeps repeating (at most 10800); unset: env PUSHOVER_API_EXPIRE, else 3600")]
    public int? ApiExpire { get; set; }

    [Option(Description = "the API base URL ({api_url}/1/messages.json): a test server or a proxy")]
    public string ApiUrl { get; set; } = "https://api.pushover.net";

    public IEnumerable<OptionProblem> Validate()
    {
        if (!HttpSend.IsHttpUrl(ApiUrl))
        {
            yield return new OptionProblem("api_url", $"must be an http(s) URL (got '{ApiUrl}')");
        }

        if (Callback is not null && !HttpSend.IsHttpUrl(Callback))
        {
            yield return new OptionProblem("callback", "must be an http(s) URL");
        }
    }
}
