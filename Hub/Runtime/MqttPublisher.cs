using Hub.Mqtt;
using Hub.Plugins;

namespace Hub.Runtime;

/// <summary>Plugins publish on the hub's own connection through this.</summary>
internal sealed class MqttPublisher(MqttClient client) : IMessagePublisher
{
    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken cancellationToken) =>
        client.PublishAsync(new MqttApplicationMessage(topic, payload, qos, retain), cancellationToken);
}
