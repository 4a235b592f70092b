namespace Hub.Plugins.Notify;

/// <summary>How a session is secured: not at all, upgraded with STARTTLS, or TLS from the first byte.</summary>
public enum SmtpTlsMode
{
    None,
    StartTls,
    Implicit,
}
