namespace Hub.Plugins.Notify;

/// <summary>The server refused a command; the message carries its reply, so the hub's log shows the server's reason.</summary>
public sealed class SmtpException : Exception
{
    public SmtpException(string command, SmtpReply reply)
        : base($"SMTP server refused {command}: {reply}") => Reply = reply;

    public SmtpException(string message)
        : base(message)
    {
    }

    public SmtpException()
    {
    }

    public SmtpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The refusal, or null when the error is not a reply (a missing extension).</summary>
    public SmtpReply? Reply { get; }
}
