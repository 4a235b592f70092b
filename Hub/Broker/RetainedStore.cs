using System.Collections.Concurrent;
using Hub.Mqtt;

namespace Hub.Broker;

/// <summary>The last retained message per topic; an empty retained payload deletes the topic's entry.</summary>
internal sealed class RetainedStore
{
    private readonly ConcurrentDictionary<string, BrokerMessage> _messages = new(StringComparer.Ordinal);
    private volatile bool _dirty;

    public int Count => _messages.Count;

    public bool Dirty { get => _dirty; set => _dirty = value; }

    public IEnumerable<BrokerMessage> All => _messages.Values;

    public void Set(BrokerMessage message)
    {
        if (message.Payload.IsEmpty)
        {
            _messages.TryRemove(message.Topic, out _);
        }
        else
        {
            _messages[message.Topic] = message;
        }

        // $SYS statistics are rebuilt every interval; they are not state worth a disk write.
        _dirty |= !message.Topic.StartsWith("$SYS", StringComparison.Ordinal);
    }

    /// <summary>The retained messages matching <paramref name="filter"/>, expired ones removed on the way.</summary>
    public List<BrokerMessage> Matching(string filter, DateTimeOffset now)
    {
        var found = new List<BrokerMessage>();
        foreach (var (topic, message) in _messages)
        {
            if (message.IsExpired(now))
            {
                _messages.TryRemove(topic, out _);
                _dirty = true;
            }
            else if (TopicFilter.Matches(filter, topic))
            {
                found.Add(message);
            }
        }

        return found;
    }
}
