namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>msteams</c> plugin (<c>[config:NAME]</c>). The webhook URL is each target's descriptor.</summary>
public sealed class MsTeamsOptions
{
    [Option(Description = "adaptive (Workflows webhooks) or message_card (legacy Office 365 connector webhooks); a target may choose its own")]
    public MsTeamsCard Card { get; set; } = MsTeamsCard.Adaptive;
}
