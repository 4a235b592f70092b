namespace Hub.Mqtt.Transport;

/// <summary>Opens byte streams to the broker (TCP, TLS, or an in-memory pipe in tests).</summary>
internal interface IMqttTransport
{
    /// <summary>A short description for log lines, e.g. "localhost:1883".</summary>
    string Endpoint { get; }

    ValueTask<ITransportConnection> ConnectAsync(CancellationToken cancellationToken);
}
