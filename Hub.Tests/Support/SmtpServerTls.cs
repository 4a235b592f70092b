namespace Hub.Tests.Support;

/// <summary>How the test SMTP server secures its port.</summary>
public enum SmtpServerTls
{
    None,
    StartTls,
    Implicit,
}
