namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>syslog</c> plugin (<c>[config:NAME]</c>): a remote collector (RFC 5424), or the local syslog socket.</summary>
public sealed class SyslogOptions : IValidatableOptions
{
    [Option(Description = "the remote collector's host; unset: the local syslog socket (mqttwarn's behaviour)")]
    public string? Host { get; set; }

    [Option(Description = "the remote collector's port")]
    public int Port { get; set; } = 514;

    [Option(Description = "udp (RFC 5426) or tcp (octet-counting framing, RFC 6587)")]
    public string Protocol { get; set; } = "udp";

    [Option(Description = "the facility of targets that name none (user, daemon, local0 … local7, …)")]
    public string Facility { get; set; } = "user";

    [Option(Description = "the HOSTNAME field (default: this machine's name)")]
    public string? Hostname { get; set; }

    [Option(Description = "the APP-NAME (ident) when the message has no title")]
    public string AppName { get; set; } = "hub";

    [Option(Description = "the local syslog socket (a Unix datagram socket), used when host is unset")]
    public string Socket { get; set; } = "/dev/log";

    public IEnumerable<OptionProblem> Validate()
    {
        if (Port is < 1 or > 65535)
        {
            yield return new OptionProblem("port", "must be between 1 and 65535");
        }

        if (Protocol.ToLowerInvariant() is not ("udp" or "tcp"))
        {
            yield return new OptionProblem("protocol", $"must be udp or tcp, not '{Protocol}'");
        }

        if (SyslogCodes.Facility(Facility) is null)
        {
            yield return new OptionProblem("facility", $"unknown facility '{Facility}' (known: {string.Join(", ", SyslogCodes.FacilityNames)})");
        }

        if (Host is { Length: 0 })
        {
            yield return new OptionProblem("host", "must not be empty (leave it unset for the local socket)");
        }
    }
}
