using Hub.Plugins.Common;

namespace Hub.Plugins.Bridges;

/// <summary>Republishes each message on the hub's own broker connection.</summary>
[Plugin("mqttpub", Description = "Republish messages on the hub's broker connection")]
public sealed class MqttPubSink : ISink, ITargetBinder
{
    private readonly IPluginContext _context;

    /// <summary>Takes its options class, though it is empty, so that the host warns about any key in <c>[config:NAME]</c>.</summary>
    public MqttPubSink(IPluginContext context, MqttPubSinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
    }

    public object BindTarget(string? targetName, object? descriptor) => MqttPubTarget.From(descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => MqttPubTarget.From(d), "mqttpub");
        var topic = target.Topic.Contains('{') || target.Topic.Contains('}') ? _context.Formatter.Format(target.Topic, item.Data) : target.Topic;
        if (topic.Length == 0 || topic.Contains('+') || topic.Contains('#'))
        {
            throw new InvalidOperationException($"cannot publish to '{topic}': a topic name must be non-empty and have no wildcards");
        }

        if (target.Properties.IsEmpty)
        {
            await _context.Publisher.PublishAsync(topic, item.MessageBytes, target.Qos, target.Retain, cancellationToken);
            return;
        }

        var properties = target.Properties.Resolve(text => _context.Formatter.Format(text, item.Data));
        await _context.Publisher.PublishAsync(topic, item.MessageBytes, target.Qos, target.Retain, properties, cancellationToken);
    }
}
