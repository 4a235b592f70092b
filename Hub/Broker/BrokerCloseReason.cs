namespace Hub.Broker;

/// <summary>Why the broker ended a connection; each is counted in <see cref="BrokerStatistics.Closed"/>.</summary>
internal enum BrokerCloseReason
{
    /// <summary>The client sent DISCONNECT.</summary>
    ClientDisconnected,

    /// <summary>The client closed the socket, or reading or writing failed.</summary>
    ConnectionLost,

    /// <summary>The first byte was not a CONNECT packet's: closed at that byte.</summary>
    NotConnectFirst,

    /// <summary>The CONNECT announced more than <c>max_connect_size</c>: closed before its body was read.</summary>
    ConnectTooLarge,

    /// <summary>No complete CONNECT within <c>connect_timeout</c>.</summary>
    ConnectTimeout,

    /// <summary>A packet after CONNECT announced more than <c>max_packet_size</c>.</summary>
    PacketTooLarge,

    /// <summary>A malformed packet or another protocol violation.</summary>
    ProtocolError,

    /// <summary>CONNACK with a failure code (bad credentials, unsupported protocol, bad client id).</summary>
    Refused,

    /// <summary>Nothing received for 1.5 times the client's keep-alive.</summary>
    KeepAliveTimeout,

    /// <summary>Another connection with the same client id took the session over.</summary>
    TakenOver,

    /// <summary>Over <c>max_connections</c>: closed at once.</summary>
    MaxConnections,

    /// <summary>The TLS handshake failed or did not finish within <c>connect_timeout</c>.</summary>
    TlsHandshakeFailed,

    /// <summary>The broker is stopping.</summary>
    ServerStopping,
}
