using Hub.Mqtt;
using Hub.Plugins;

namespace Hub.Runtime;

/// <summary>
/// Plugins publish on the hub's own connection through this. A message the broker refuses (MQTT 5.0 reason code,
/// or above its maximum packet size) fails as a delivery failure in words, so the target's delivery policy decides.
/// </summary>
internal sealed class MqttPublisher(MqttClient client) : IMessagePublisher
{
    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken cancellationToken) =>
        PublishAsync(new MqttApplicationMessage(topic, payload, qos, retain), cancellationToken);

    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, PublishProperties properties, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return PublishAsync(new MqttApplicationMessage(topic, payload, qos, retain) { Properties = ToMqtt(properties) }, cancellationToken);
    }

    internal static MqttMessageProperties? ToMqtt(PublishProperties p)
    {
        var properties = new MqttMessageProperties
        {
            MessageExpiryInterval = p.MessageExpirySeconds,
            ContentType = p.ContentType,
            ResponseTopic = p.ResponseTopic,
            CorrelationData = p.CorrelationData,
            PayloadFormatIndicator = p.PayloadIsUtf8 is { } utf8 ? (byte)(utf8 ? 1 : 0) : null,
            UserProperties = p.UserProperties,
        };
        return properties.IsEmpty ? null : properties;
    }

    private async ValueTask PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (MqttPublishRejectedException ex) when (ex.IsTransient)
        {
            throw new TransientDeliveryException(ex.Message, null, ex);
        }
        catch (MqttPublishRejectedException ex)
        {
            throw new PermanentDeliveryException(ex.Message, ex.ReasonCode, ex);
        }
    }
}
