using Hub.Plugins;

namespace Hub.Runtime;

/// <summary>
/// The publisher plugins get when the graph is built before the hub's MQTT client exists (<c>hub run</c> builds the
/// graph first, to refuse a bad configuration before it connects): it forwards to the client once the runtime attaches it.
/// </summary>
internal sealed class LatePublisher : IMessagePublisher
{
    private IMessagePublisher? _target;

    public void Attach(IMessagePublisher target) => _target = target;

    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken cancellationToken) =>
        Target.PublishAsync(topic, payload, qos, retain, cancellationToken);

    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, PublishProperties properties, CancellationToken cancellationToken) =>
        Target.PublishAsync(topic, payload, qos, retain, properties, cancellationToken);

    private IMessagePublisher Target => _target ?? throw new InvalidOperationException("the hub is not connected to the broker yet");
}
