using Hub.Plugins;

namespace Hub.PluginHost;

/// <summary>The publisher given to plugins when there is no broker connection (<c>hub check</c>, <c>hub test</c>).</summary>
internal sealed class OfflinePublisher : IMessagePublisher
{
    public static readonly OfflinePublisher Instance = new();

    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("there is no broker connection in this command");
}
