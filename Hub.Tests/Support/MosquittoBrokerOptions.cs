namespace Hub.Tests.Support;

/// <summary>How <see cref="MosquittoBroker"/> configures its mosquitto. Defaults: plain listener, anonymous allowed, no persistence.</summary>
public sealed class MosquittoBrokerOptions
{
    /// <summary>Anonymous clients allowed (ignored clients still need a user when <see cref="Users"/> is set and this is false).</summary>
    public bool AllowAnonymous { get; init; } = true;

    /// <summary>User name → password, written with <c>mosquitto_passwd -b</c>.</summary>
    public IReadOnlyDictionary<string, string>? Users { get; init; }

    /// <summary>Adds a TLS listener (<see cref="MosquittoBroker.TlsPort"/>) with a CA and server certificate made by openssl.</summary>
    public bool Tls { get; init; }

    /// <summary>The DNS name in the server certificate; "localhost" also adds IP 127.0.0.1.</summary>
    public string TlsServerName { get; init; } = "localhost";

    /// <summary>The TLS listener requires a client certificate signed by the same CA (see <see cref="MosquittoBroker.IssueClientCertificateAsync"/>).</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>Persistence on (database in the broker's directory), so sessions and queued messages survive <see cref="MosquittoBroker.RestartAsync"/>.</summary>
    public bool Persistence { get; init; }

    /// <summary>Contents of an acl_file, e.g. "topic read allowed/#".</summary>
    public string? Acl { get; init; }

    /// <summary>Extra lines appended to mosquitto.conf.</summary>
    public string? ExtraConfig { get; init; }
}
