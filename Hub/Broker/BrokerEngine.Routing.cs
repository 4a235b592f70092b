namespace Hub.Broker;

/// <summary>Routing: a published message to every matching subscription (one member per shared group), retained messages, subscribing.</summary>
internal sealed partial class BrokerEngine
{
    [ThreadStatic]
    private static List<BrokerSubscription>? t_matches;

    /// <summary>Routes one message; returns how many subscriptions it went to (or was queued for).</summary>
    public int Publish(BrokerMessage message)
    {
        if (message.Retain)
        {
            Retained.Set(message);
        }

        var matches = t_matches ??= [];
        matches.Clear();
        Index.Match(message.Topic, matches);
        var delivered = 0;
        try
        {
            foreach (var subscription in matches)
            {
                if (DeliverTo(subscription, message, retainedOnSubscribe: false))
                {
                    delivered++;
                }
            }
        }
        finally
        {
            matches.Clear();
        }

        return delivered;
    }

    public bool Subscribe(BrokerSubscription subscription)
    {
        var session = subscription.Session;
        lock (session.Gate)
        {
            session.Subscriptions[subscription.FullFilter] = subscription;
            session.Dirty = true;
        }

        return Index.Add(subscription);
    }

    public bool Unsubscribe(BrokerSession session, string fullFilter)
    {
        BrokerSubscription? subscription;
        lock (session.Gate)
        {
            if (!session.Subscriptions.Remove(fullFilter, out subscription))
            {
                return false;
            }

            session.Dirty = true;
        }

        return Index.Remove(session, subscription.Filter, subscription.ShareGroup);
    }

    /// <summary>Retained messages for a new subscription, with the RETAIN flag set.</summary>
    public void DeliverRetained(BrokerSubscription subscription, string filter)
    {
        foreach (var message in Retained.Matching(filter, Time.GetUtcNow()))
        {
            DeliverTo(subscription, message, retainedOnSubscribe: true);
        }
    }

    /// <summary>A shared-subscription message whose member went away unacknowledged goes to another member of the group.</summary>
    private void RedeliverShared(OutgoingMessage orphan, BrokerSession from)
    {
        if (Index.PickSharedMember(orphan.ShareKey!, from) is { } member)
        {
            DeliverTo(member, orphan.Message, retainedOnSubscribe: false);
        }
    }

    private bool DeliverTo(BrokerSubscription subscription, BrokerMessage message, bool retainedOnSubscribe)
    {
        var session = subscription.Session;
        var options = subscription.Options;
        if (options.NoLocal && string.Equals(session.ClientId, message.PublisherId, StringComparison.Ordinal))
        {
            return false;
        }

        if (!Security.CanRead(session.ClientId, session.Username, message.Topic))
        {
            return false;
        }

        var qos = Math.Min(message.Qos, options.Qos);
        var retain = retainedOnSubscribe || (options.RetainAsPublished && message.Retain);
        IReadOnlyList<int> identifiers = subscription.SubscriptionId is { } id ? [id] : [];
        var taken = session.Deliver(new OutgoingMessage(message, qos, retain, identifiers, subscription.ShareKey), subscription, out var dropped);
        if (dropped > 0)
        {
            Statistics.Dropped(dropped);
        }

        return taken;
    }
}
