namespace Hub.Plugins;

/// <summary>Publishes a message on the hub's own broker connection.</summary>
public interface IMessagePublisher
{
    /// <summary>
    /// Publishes <paramref name="payload"/> to <paramref name="topic"/>. Completes when the message
    /// has been handed to the broker (QoS 0) or acknowledged by it (QoS 1 and 2).
    /// </summary>
    ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken cancellationToken);
}
