namespace Hub.Broker;

/// <summary>The embedded broker's settings, read from the <c>[broker]</c> section (defaults as documented in docs/broker.md).</summary>
internal sealed record BrokerOptions
{
    public const int DefaultPort = 1883;

    /// <summary>Plain TCP listeners as HOST:PORT (port 0 picks a free one).</summary>
    public IReadOnlyList<string> Listen { get; init; } = ["127.0.0.1:1883"];

    /// <summary>TLS listeners as HOST:PORT; they need <see cref="CertFile"/> and <see cref="KeyFile"/>.</summary>
    public IReadOnlyList<string> TlsListen { get; init; } = [];

    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    public bool Persistence { get; init; } = true;

    /// <summary>Where sessions and retained messages are kept; null = no persistence directory known.</summary>
    public string? PersistenceDirectory { get; init; }

    public int MaxConnections { get; init; } = 10_000;

    /// <summary>Largest packet a connected client may send (fixed header included); 1 MiB as EMQX (docs/broker.md says why).</summary>
    public int MaxPacketSize { get; init; } = 1024 * 1024;

    /// <summary>Largest CONNECT a new connection may send; until it is accepted, this (not <see cref="MaxPacketSize"/>) bounds what it can make the broker hold.</summary>
    public int MaxConnectSize { get; init; } = 16 * 1024;

    /// <summary>Outgoing QoS 1/2 messages per client awaiting acknowledgement; more wait in the client's queue.</summary>
    public int MaxInflight { get; init; } = 20;

    /// <summary>QoS 1/2 messages per client waiting beyond the in-flight window (or while it is offline); when full the oldest is dropped. 0 = no maximum (as mosquitto).</summary>
    public int MaxQueuedMessages { get; init; } = 1000;

    /// <summary>Bytes (payload and topic) of those messages; the first of the two limits reached applies. 0 = no maximum (as mosquitto).</summary>
    public long MaxQueuedBytes { get; init; }

    public string? PasswordFile { get; init; }

    public string? AclFile { get; init; }

    public bool AllowAnonymous { get; init; } = true;

    /// <summary>How often <c>$SYS/broker/...</c> statistics are published; zero disables them.</summary>
    public TimeSpan SysInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a new connection may take to send CONNECT.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often changed sessions and retained messages are written to disk.</summary>
    public TimeSpan AutosaveInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Topic aliases a 5.0 client may use towards the broker.</summary>
    public ushort TopicAliasMaximum { get; init; } = 100;
}
