namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>smtp</c> plugin (<c>[config:NAME]</c>).</summary>
public sealed class SmtpSinkOptions : IValidatableOptions
{
    [Option(Description = "the SMTP server as host:port (port 25 by default, 465 with implicit_tls)")]
    public string Server { get; set; } = "localhost:25";

    [Option(Description = "the From address (envelope and header), e.g. 'Hub <hub@example.org>'", Required = true)]
    public string Sender { get; set; } = "";

    [Option(Description = "upgrade the connection with STARTTLS (required once asked: a server without it is an error)")]
    public bool Starttls { get; set; }

    [Option("implicit_tls", Description = "TLS from the first byte (SMTPS, usually port 465)")]
    public bool ImplicitTls { get; set; }

    [Option(Description = "log in as this user (the strongest of AUTH SCRAM-SHA-256, SCRAM-SHA-1, PLAIN, LOGIN the server offers)")]
    public string? Username { get; set; }

    [Option(Description = "the password for username (never logged)")]
    public string? Password { get; set; }

    [Option(Description = "send the message as text and HTML (multipart/alternative)")]
    public bool Htmlmsg { get; set; }

    [Option("ca_certs", Description = "a PEM file of CA certificates to trust instead of the system's (relative to the config file)")]
    public string? CaCerts { get; set; }

    [Option("tls_insecure", Description = "do not verify the server's certificate (testing only)")]
    public bool TlsInsecure { get; set; }

    [Option(Description = "seconds one mail may take: connecting (when needed) and the whole SMTP conversation")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    [Option("idle_timeout", Description = "seconds an unused connection stays open for the next message (0: close after each delivery)")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<OptionProblem> Validate()
    {
        if (Starttls && ImplicitTls)
        {
            yield return new OptionProblem("implicit_tls", "starttls and implicit_tls exclude each other (implicit_tls for port 465, starttls for 25/587)");
        }

        if (!SmtpEndpoint.TryParse(Server, ImplicitTls, out _, out var problem))
        {
            yield return new OptionProblem("server", problem!);
        }

        if (!MailAddress.TryParse(Sender, out _, out problem))
        {
            yield return new OptionProblem("sender", problem!);
        }

        if (!string.IsNullOrEmpty(Username) && Password is null)
        {
            yield return new OptionProblem("password", "is required with username");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            yield return new OptionProblem("timeout", "must be greater than 0");
        }

        if (IdleTimeout < TimeSpan.Zero)
        {
            yield return new OptionProblem("idle_timeout", "must not be negative");
        }
    }
}
