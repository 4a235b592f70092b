namespace Hub.Config;

/// <summary>
/// The <c>[web]</c> section: the HTTP endpoint for <c>/metrics</c>, <c>/healthz</c>, <c>/ready</c> and <c>/api/status</c>
/// (off unless the section is present).
/// </summary>
internal sealed record WebOptions
{
    /// <summary>The address used when <c>listen</c> is not given: loopback only.</summary>
    public const string DefaultListen = "127.0.0.1:8080";

    /// <summary><c>HOST:PORT</c> (<c>[::1]:PORT</c> for IPv6; port 0 picks a free one).</summary>
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 8080;

    /// <summary>PEM certificate and key: both set means HTTPS.</summary>
    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    /// <summary>When set, every request needs <c>Authorization: Bearer TOKEN</c>; a non-loopback <c>listen</c> requires one.</summary>
    public string? AuthToken { get; init; }

    public bool IsTls => CertFile is not null && KeyFile is not null;
}
