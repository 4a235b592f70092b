using System.Text;
using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Session;

/// <summary>
/// MQTT 5.0 topic aliases we use towards the broker, for one connection (a reconnect starts empty, §4.x): the first
/// PUBLISH on a topic binds the next free alias (topic and alias sent), later ones send the alias with an empty topic.
/// Aliases are never rebound: once the broker's Topic Alias Maximum is used up, further topics go out in full.
/// Used by the single writer, so aliases are bound in wire order.
/// </summary>
internal sealed class OutboundTopicAliases(int maximum)
{
    // A topic alias costs 3 bytes (property id + 2), so a topic of 3 bytes or fewer gains nothing.
    private const int MinimumTopicBytes = 4;
    private readonly Dictionary<string, ushort> _aliases = new(StringComparer.Ordinal);

    public PublishPacket Apply(PublishPacket publish)
    {
        var topic = publish.Message.Topic;
        if (maximum <= 0 || publish.Properties.TopicAlias is not null || topic.Length == 0)
        {
            return publish;
        }

        if (_aliases.TryGetValue(topic, out var alias))
        {
            return publish with { Message = publish.Message with { Topic = "" }, Properties = publish.Properties with { TopicAlias = alias } };
        }

        if (_aliases.Count >= maximum || Encoding.UTF8.GetByteCount(topic) < MinimumTopicBytes)
        {
            return publish;
        }

        alias = (ushort)(_aliases.Count + 1);
        _aliases.Add(topic, alias);
        return publish with { Properties = publish.Properties with { TopicAlias = alias } };
    }
}
