namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>googlechat</c> plugin (<c>[config:NAME]</c>). The webhook URL is each target's descriptor.</summary>
public sealed class GoogleChatOptions
{
    [Option(Description = "a thread key for every target without its own, formatted with the data (e.g. '{topic}'): messages with one key form one thread")]
    public string? ThreadKey { get; set; }
}
