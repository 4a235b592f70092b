namespace Hub.Plugins.Notify;

/// <summary>The card a <c>msteams</c> webhook receives.</summary>
public enum MsTeamsCard
{
    /// <summary>An Adaptive Card in a <c>message</c>: what Workflows (Power Automate) webhooks expect.</summary>
    Adaptive,

    /// <summary>A legacy Office 365 connector <c>MessageCard</c> with <c>themeColor</c>.</summary>
    MessageCard,
}
