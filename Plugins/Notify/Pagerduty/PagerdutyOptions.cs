using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>pagerduty</c> plugin (<c>[config:NAME]</c>): defaults for every target's event.</summary>
public sealed class PagerdutyOptions : IValidatableOptions
{
    [Option(Description = "the integration's routing key for targets without their own (never logged)")]
    public string? RoutingKey { get; set; }

    [Option(Description = "trigger, acknowledge or resolve (a target or data 'event_action' overrides it)")]
    public string EventAction { get; set; } = "trigger";

    [Option(Description = "the deduplication key, formatted with the data (e.g. '{topic}'); unset: PagerDuty makes one for each trigger")]
    public string? DedupKey { get; set; }

    [Option(Description = "the payload's source (the affected system), formatted with the data; unset: the topic")]
    public string? Source { get; set; }

    [Option(Description = "the payload's component, formatted with the data")]
    public string? Component { get; set; }

    [Option(Description = "the payload's group, formatted with the data")]
    public string? Group { get; set; }

    [Option(Description = "the payload's class, formatted with the data")]
    public string? Class { get; set; }

    [Option(Description = "the Events API base URL ({api_url}/v2/enqueue)")]
    public string ApiUrl { get; set; } = "https://events.pagerduty.com";

    public IEnumerable<OptionProblem> Validate()
    {
        if (!HttpSend.IsHttpUrl(ApiUrl))
        {
            yield return new OptionProblem("api_url", $"must be an http(s) URL (got '{ApiUrl}')");
        }

        if (!PagerdutyTarget.Actions.Contains(EventAction))
        {
            yield return new OptionProblem("event_action", $"must be trigger, acknowledge or resolve (got '{EventAction}')");
        }
    }
}
