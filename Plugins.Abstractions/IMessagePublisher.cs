namespace Hub.Plugins;

/// <summary>Publishes a message on the hub's own broker connection.</summary>
public interface IMessagePublisher
{
    /// <summary>
    /// Publishes <paramref name="payload"/> to <paramref name="topic"/>. Completes when the message
    /// has been handed to the broker (QoS 0) or acknowledged by it (QoS 1 and 2).
    /// </summary>
    ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes with MQTT 5.0 <paramref name="properties"/> (expiry, content type, response topic, correlation data,
    /// user properties). Fails with <see cref="PermanentDeliveryException"/> or <see cref="TransientDeliveryException"/>
    /// when the broker refuses the message (a PUBACK/PUBREC reason code, or a message above its maximum packet size).
    /// The default implementation, for publishers written before properties existed, publishes without them.
    /// </summary>
    ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, PublishProperties properties, CancellationToken cancellationToken) =>
        PublishAsync(topic, payload, qos, retain, cancellationToken);
}
