using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Session;

/// <summary>
/// MQTT 5.0 topic aliases the broker sets up in its PUBLISHes, for one connection (§3.3.2.3.4): a PUBLISH with a
/// topic and an alias (re)binds the alias; one with an empty topic uses it. Used by the reader only.
/// </summary>
internal sealed class InboundTopicAliases(int maximum)
{
    private readonly Dictionary<ushort, string> _topics = [];

    /// <summary>The PUBLISH with its topic name resolved and its application properties on the message.</summary>
    public PublishPacket Resolve(PublishPacket publish)
    {
        var message = publish.Message;
        if (publish.Properties.TopicAlias is { } alias)
        {
            if (alias == 0 || alias > maximum)
            {
                throw new MqttProtocolException($"Topic alias {alias} is outside 1…{maximum}, the Topic Alias Maximum we announced (protocol error 0x94).");
            }

            if (message.Topic.Length > 0)
            {
                _topics[alias] = message.Topic;
            }
            else if (_topics.TryGetValue(alias, out var topic))
            {
                message = message with { Topic = topic };
            }
            else
            {
                throw new MqttProtocolException($"Topic alias {alias} was used before the broker set it up (protocol error 0x82).");
            }
        }

        var properties = MqttMessageProperties.From(publish.Properties);
        return ReferenceEquals(message, publish.Message) && properties is null
            ? publish
            : publish with { Message = message with { Properties = properties } };
    }
}
