using Hub.Mqtt;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;

namespace Hub.Broker;

/// <summary>PUBLISH from the client, SUBSCRIBE and UNSUBSCRIBE.</summary>
internal sealed partial class BrokerConnection
{
    private void HandlePublish(PublishPacket publish)
    {
        var message = publish.Message;
        var topic = ResolveTopic(message.Topic, publish.Properties.TopicAlias);
        var session = Session!;
        _engine.Statistics.MessageReceived(message.Payload.Length);
        if (message.Qos == 2)
        {
            lock (session.Gate)
            {
                if (session.IncomingQos2.Contains(publish.PacketId))
                {
                    Enqueue(new PubRecPacket(publish.PacketId)); // a re-sent QoS 2 PUBLISH: already routed once
                    return;
                }
            }
        }

        var allowed = !IsSysTopic(topic) && _engine.Security.CanPublish(ClientId, Username, topic);
        var matched = 0;
        if (allowed)
        {
            var properties = publish.Properties;
            if (IsVersion5 && !properties.IsEmpty)
            {
                properties = properties with { TopicAlias = null, SubscriptionIdentifiers = [], MessageExpiryInterval = null };
            }

            DateTimeOffset? expiresAt = publish.Properties.MessageExpiryInterval is { } seconds ? Now.AddSeconds(seconds) : null;
            matched = _engine.Publish(new BrokerMessage(topic, message.Payload, message.Qos, message.Retain, properties, ClientId, expiresAt));
        }

        var reason = !allowed ? MqttReasonCode.NotAuthorized : matched == 0 ? MqttReasonCode.NoMatchingSubscribers : MqttReasonCode.Success;
        if (!IsVersion5)
        {
            reason = MqttReasonCode.Success; // 3.1.1 has no way to say no: a denied message is dropped silently, as mosquitto does
        }

        switch (message.Qos)
        {
            case 1:
                Enqueue(new PubAckPacket(publish.PacketId) { ReasonCode = reason });
                break;
            case 2:
                if (!MqttReasonCodes.IsFailure((byte)reason))
                {
                    lock (session.Gate)
                    {
                        if (session.IncomingQos2.Count >= Math.Max(_engine.Options.MaxInflight, 1))
                        {
                            throw new MqttProtocolException("Receive Maximum exceeded: too many unreleased QoS 2 messages.", MqttReasonCode.ReceiveMaximumExceeded);
                        }

                        session.IncomingQos2.Add(publish.PacketId);
                        session.Dirty = true;
                    }
                }

                Enqueue(new PubRecPacket(publish.PacketId) { ReasonCode = reason });
                break;
        }
    }

    private static bool IsSysTopic(string topic) => topic.StartsWith("$SYS/", StringComparison.Ordinal) || topic == "$SYS";

    /// <summary>5.0 topic aliases from the client: an alias with a topic sets it, an alias alone stands for it.</summary>
    private string ResolveTopic(string topic, ushort? alias)
    {
        if (alias is not { } number)
        {
            return topic.Length > 0 ? topic : throw new MqttProtocolException("Protocol error: PUBLISH without a topic.", MqttReasonCode.ProtocolError);
        }

        if (number == 0 || number > _engine.Options.TopicAliasMaximum)
        {
            throw new MqttProtocolException($"Topic alias {number} is outside 1..{_engine.Options.TopicAliasMaximum}.", MqttReasonCode.TopicAliasInvalid);
        }

        if (topic.Length > 0)
        {
            _topicAliases[number] = topic;
            return topic;
        }

        return _topicAliases.TryGetValue(number, out var known)
            ? known
            : throw new MqttProtocolException($"Topic alias {number} was never set.", MqttReasonCode.ProtocolError);
    }

    private void HandleSubscribe(SubscribePacket subscribe)
    {
        var session = Session!;
        var codes = new byte[subscribe.Subscriptions.Count];
        var retained = new List<(BrokerSubscription Subscription, string Filter)>();
        var identifier = subscribe.Properties.SubscriptionIdentifiers.Count > 0 ? subscribe.Properties.SubscriptionIdentifiers[0] : (int?)null;
        for (var i = 0; i < codes.Length; i++)
        {
            var requested = subscribe.Subscriptions[i];
            var filter = requested.Filter;
            string? group = null;
            if (TopicFilter.TrySplitShared(filter, out var shareGroup, out var inner))
            {
                if (IsVersion5 && requested.NoLocal)
                {
                    throw new MqttProtocolException("Protocol error: No Local on a shared subscription.", MqttReasonCode.ProtocolError);
                }

                group = shareGroup;
                filter = inner;
            }

            if ((group is not null && group.Length == 0) || !TopicFilter.IsValid(filter))
            {
                codes[i] = IsVersion5 ? (byte)MqttReasonCode.TopicFilterInvalid : SubAckPacket.Failure;
                continue;
            }

            if (!_engine.Security.CanSubscribe(ClientId, Username, filter))
            {
                codes[i] = IsVersion5 ? (byte)MqttReasonCode.NotAuthorized : SubAckPacket.Failure;
                continue;
            }

            var subscription = new BrokerSubscription(session, filter, group, requested, identifier);
            var isNew = _engine.Subscribe(subscription);
            codes[i] = (byte)requested.Qos;
            if (group is null && (requested.RetainHandling == 0 || (requested.RetainHandling == 1 && isNew)))
            {
                retained.Add((subscription, filter));
            }
        }

        Enqueue(new SubAckPacket(subscribe.PacketId, codes));
        foreach (var (subscription, filter) in retained)
        {
            _engine.DeliverRetained(subscription, filter);
        }
    }

    private void HandleUnsubscribe(UnsubscribePacket unsubscribe)
    {
        var codes = new byte[unsubscribe.Filters.Count];
        for (var i = 0; i < codes.Length; i++)
        {
            var removed = _engine.Unsubscribe(Session!, unsubscribe.Filters[i]);
            codes[i] = removed ? (byte)MqttReasonCode.Success : (byte)MqttReasonCode.NoSubscriptionExisted;
        }

        Enqueue(new UnsubAckPacket(unsubscribe.PacketId) { ReasonCodes = IsVersion5 ? codes : [] });
    }
}
