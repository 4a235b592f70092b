using System.Security.Authentication;

namespace Hub.Mqtt;

/// <summary>How to reach and talk to the broker.</summary>
public sealed class MqttClientOptions
{
    public string Host { get; init; } = "localhost";
    public int Port { get; init; } = 1883;
    public string ClientId { get; init; } = "hub";
    public string? Username { get; init; }
    public string? Password { get; init; }
    /// <summary>3 = MQTT 3.1 (MQIsdp), 4 = MQTT 3.1.1.</summary>
    public int ProtocolLevel { get; init; } = 4;
    public int KeepAliveSeconds { get; init; } = 60;
    public bool CleanSession { get; init; } = true;
    /// <summary>MQTT 5.0: seconds the broker keeps the session after the connection ends (null: 0 with a clean session, else never expires).</summary>
    public uint? SessionExpiryInterval { get; init; }
    public MqttWill? Will { get; init; }
    /// <summary>Null = plain TCP.</summary>
    public MqttTlsOptions? Tls { get; init; }
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Maximum inbound packet size accepted (bigger packets close the connection).</summary>
    public int MaxPacketSize { get; init; } = 268_435_455;
    /// <summary>How long to wait for PINGRESP before closing and reconnecting; null = the keep-alive interval.</summary>
    public TimeSpan? PingTimeout { get; init; }
    /// <summary>Received messages buffered between the socket reader and <see cref="MqttClient.MessageReceived"/>; when full, reading pauses.</summary>
    public int InboundQueueCapacity { get; init; } = 1024;
    /// <summary>Outgoing QoS 1/2 messages awaiting their acknowledgement at once; further publishes wait for a slot.
    /// MQTT 5.0: the broker's Receive Maximum lowers it for each connection.</summary>
    public int MaxInflightMessages { get; init; } = 1024;
    /// <summary>MQTT 5.0: the Receive Maximum announced in CONNECT (unacknowledged QoS 1/2 PUBLISHes the broker may send us); null = <see cref="InboundQueueCapacity"/>.</summary>
    public int? ReceiveMaximum { get; init; }
    /// <summary>MQTT 5.0: the Topic Alias Maximum announced in CONNECT (aliases the broker may use towards us); 0 = none.</summary>
    public int TopicAliasMaximum { get; init; } = 64;
    /// <summary>MQTT 5.0: use topic aliases towards the broker (up to its Topic Alias Maximum) for repeated topics.</summary>
    public bool UseTopicAliases { get; init; } = true;
}

/// <summary>The last will, published by the broker when the connection is lost.</summary>
public sealed record MqttWill(string Topic, ReadOnlyMemory<byte> Payload, int Qos, bool Retain);

/// <summary>TLS settings: server verification against <see cref="CaCertsPath"/> or the system store.</summary>
public sealed class MqttTlsOptions
{
    public string? CaCertsPath { get; init; }
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }
    /// <summary>Skip host-name verification only; the chain is still verified.</summary>
    public bool Insecure { get; init; }
    public SslProtocols Protocols { get; init; } = SslProtocols.None;
}
