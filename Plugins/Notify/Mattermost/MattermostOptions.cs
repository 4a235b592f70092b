namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>mattermost</c> plugin (<c>[config:NAME]</c>). The webhook URL is in each target, as in mqttwarn.</summary>
public sealed class MattermostOptions
{
    [Option(Description = "a message that is a JSON object is shown as a key/value Markdown table (as mqttwarn does)")]
    public bool JsonTable { get; set; } = true;
}
