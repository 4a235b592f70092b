using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace Hub.Functions;

/// <summary>The hub side of <see cref="HookContext"/>: the broker connection and the way back into routing.</summary>
internal sealed class FunctionServices(IMessagePublisher? publisher)
{
    private Action<string, string, string>? _sendToTargets;

    /// <summary>Connects <see cref="HookContext.SendToTargets"/> to the router and the delivery queues (<c>hub run</c>).</summary>
    public void UseDelivery(Action<string, string, string> sendToTargets) => _sendToTargets = sendToTargets;

    public void Publish(string topic, byte[] payload, int qos, bool retain, ILogger logger)
    {
        if (publisher is null)
        {
            logger.LogInformation("Not publishing to {Topic}: no broker connection", topic);
            return;
        }

        _ = PublishAsync(publisher, topic, payload, qos, retain, logger);
    }

    public void SendToTargets(string section, string topic, string payload)
    {
        if (_sendToTargets is null)
        {
            throw new InvalidOperationException("SendToTargets is only available while the hub runs");
        }

        _sendToTargets(section, topic, payload);
    }

    private static async Task PublishAsync(IMessagePublisher publisher, string topic, byte[] payload, int qos, bool retain, ILogger logger)
    {
        try
        {
            await publisher.PublishAsync(topic, payload, qos, retain, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogError("Publishing to {Topic} from a user function failed: {Reason}", topic, ex.Message);
        }
    }
}
