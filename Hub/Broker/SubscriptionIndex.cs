namespace Hub.Broker;

/// <summary>
/// Every session's subscriptions in a trie by topic level, so routing a message costs the topic's depth,
/// not the number of subscriptions. One lock: subscribing is rare, matching is a short walk.
/// </summary>
internal sealed class SubscriptionIndex
{
    private readonly Lock _gate = new();
    private readonly SubscriptionNode _root = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds or replaces the session's subscription to the same filter; true when it is new.</summary>
    public bool Add(BrokerSubscription subscription)
    {
        lock (_gate)
        {
            var node = Walk(subscription.Filter, create: true)!;
            bool added;
            if (subscription.ShareGroup is null)
            {
                added = Replace(node.Subscribers, subscription);
            }
            else
            {
                if (!node.Shared.TryGetValue(subscription.ShareGroup, out var group))
                {
                    group = new SharedGroup();
                    node.Shared.Add(subscription.ShareGroup, group);
                }

                added = Replace(group.Members, subscription);
            }

            if (added)
            {
                _count++;
            }

            return added;
        }
    }

    public bool Remove(BrokerSession session, string filter, string? shareGroup)
    {
        lock (_gate)
        {
            var node = Walk(filter, create: false);
            if (node is null)
            {
                return false;
            }

            List<BrokerSubscription>? list = node.Subscribers;
            if (shareGroup is not null)
            {
                list = node.Shared.TryGetValue(shareGroup, out var group) ? group.Members : null;
            }

            var removed = list is not null && list.RemoveAll(s => ReferenceEquals(s.Session, session)) > 0;
            if (removed)
            {
                _count--;
                if (shareGroup is not null && list!.Count == 0)
                {
                    node.Shared.Remove(shareGroup);
                }
            }

            return removed;
        }
    }

    /// <summary>Adds to <paramref name="matches"/> every plain subscription matching <paramref name="topic"/> and one member of each shared group.</summary>
    public void Match(string topic, List<BrokerSubscription> matches, BrokerSession? exclude = null)
    {
        lock (_gate)
        {
            MatchLevel(_root, topic.AsSpan(), topic.Length > 0 && topic[0] == '$', matches, exclude);
        }
    }

    /// <summary>Another live member of the shared group <paramref name="shareKey"/> (GROUP/FILTER), not <paramref name="exclude"/>.</summary>
    public BrokerSubscription? PickSharedMember(string shareKey, BrokerSession exclude)
    {
        var slash = shareKey.IndexOf('/', StringComparison.Ordinal);
        lock (_gate)
        {
            var node = Walk(shareKey[(slash + 1)..], create: false);
            return node is not null && node.Shared.TryGetValue(shareKey[..slash], out var group) ? group.Pick(exclude) : null;
        }
    }

    private static bool Replace(List<BrokerSubscription> list, BrokerSubscription subscription)
    {
        var index = list.FindIndex(s => ReferenceEquals(s.Session, subscription.Session));
        if (index >= 0)
        {
            list[index] = subscription;
            return false;
        }

        list.Add(subscription);
        return true;
    }

    private SubscriptionNode? Walk(string filter, bool create)
    {
        var node = _root;
        foreach (var level in filter.Split('/'))
        {
            if (!node.Children.TryGetValue(level, out var child))
            {
                if (!create)
                {
                    return null;
                }

                child = new SubscriptionNode();
                node.Children.Add(level, child);
            }

            node = child;
        }

        return node;
    }

    private static void MatchLevel(SubscriptionNode node, ReadOnlySpan<char> rest, bool dollar, List<BrokerSubscription> matches, BrokerSession? exclude)
    {
        var slash = rest.IndexOf('/');
        var level = slash < 0 ? rest : rest[..slash];
        var lookup = node.Children.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!dollar && node.Children.Count > 0)
        {
            if (lookup.TryGetValue("#", out var all))
            {
                Collect(all, matches, exclude);
            }

            if (lookup.TryGetValue("+", out var any))
            {
                Next(any, rest, slash, matches, exclude);
            }
        }

        if (lookup.TryGetValue(level, out var exact))
        {
            Next(exact, rest, slash, matches, exclude);
        }
    }

    private static void Next(SubscriptionNode child, ReadOnlySpan<char> rest, int slash, List<BrokerSubscription> matches, BrokerSession? exclude)
    {
        if (slash < 0)
        {
            Collect(child, matches, exclude);
            if (child.Children.TryGetValue("#", out var parentToo))
            {
                Collect(parentToo, matches, exclude); // "a/#" matches "a"
            }
        }
        else
        {
            MatchLevel(child, rest[(slash + 1)..], dollar: false, matches, exclude);
        }
    }

    private static void Collect(SubscriptionNode node, List<BrokerSubscription> matches, BrokerSession? exclude)
    {
        matches.AddRange(node.Subscribers);
        foreach (var group in node.Shared.Values)
        {
            if (group.Pick(exclude) is { } member)
            {
                matches.Add(member);
            }
        }
    }

    private sealed class SubscriptionNode
    {
        public Dictionary<string, SubscriptionNode> Children { get; } = new(StringComparer.Ordinal);

        public List<BrokerSubscription> Subscribers { get; } = [];

        public Dictionary<string, SharedGroup> Shared { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>The members of one <c>$share/GROUP/FILTER</c>: each message goes to one of them, round robin, connected ones first.</summary>
    private sealed class SharedGroup
    {
        private int _next;

        public List<BrokerSubscription> Members { get; } = [];

        public BrokerSubscription? Pick(BrokerSession? exclude)
        {
            BrokerSubscription? offline = null;
            for (var i = 0; i < Members.Count; i++)
            {
                var member = Members[(_next + i) % Members.Count];
                if (ReferenceEquals(member.Session, exclude))
                {
                    continue;
                }

                if (member.Session.IsConnected)
                {
                    _next = (_next + i + 1) % Members.Count;
                    return member;
                }

                offline ??= member;
            }

            return offline;
        }
    }
}
