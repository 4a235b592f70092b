namespace Hub.Analytics.Alarms;

/// <summary>
/// Which alarms keep firing together. Two alarms fired together when one started firing within the
/// <c>correlate_window</c> of the other's start. They are correlated when they did so at least <c>correlate_min</c>
/// times and in at least 80 % of the episodes of the one that fired more often (so an alarm that also fires alone
/// half of the time is not folded into another). Memory is bounded: the starts of the last 1,024 episodes and at most
/// 10,000 pairs (the rarest dropped first). Not thread-safe: <see cref="AlarmLifecycle"/> calls it under its lock.
/// </summary>
internal sealed class AlarmCorrelation
{
    /// <summary>The share of episodes two alarms must share to be correlated.</summary>
    public const double Share = 0.8;
    private const int RecentCapacity = 1024;
    private const int PairCapacity = 10_000;

    private readonly Queue<(string Id, DateTimeOffset Start)> _recent = new();
    private readonly Dictionary<(string A, string B), int> _pairs = [];
    private readonly Dictionary<string, HashSet<string>> _partners = new(StringComparer.Ordinal);

    /// <summary>Pairs changed since <see cref="TakeChanges"/> (for the store).</summary>
    private readonly HashSet<(string A, string B)> _changed = [];

    public void Load(IReadOnlyDictionary<(string A, string B), int> pairs)
    {
        foreach (var (pair, count) in pairs)
        {
            Set(pair, count);
        }
    }

    /// <summary><paramref name="entry"/> started firing at <paramref name="start"/>: it fired together with every alarm that started within <paramref name="window"/> before.</summary>
    public void Started(AlarmEntry entry, DateTimeOffset start, TimeSpan window)
    {
        var id = entry.Id;
        while (_recent.Count > 0 && (_recent.Count >= RecentCapacity || start - _recent.Peek().Start > TimeSpan.FromHours(1)))
        {
            _recent.Dequeue();
        }

        foreach (var other in _recent.Where(r => r.Id != id && (start - r.Start).Duration() <= window).Select(r => r.Id).Distinct(StringComparer.Ordinal).ToList())
        {
            var pair = Order(id, other);
            Set(pair, _pairs.GetValueOrDefault(pair) + 1);
        }

        _recent.Enqueue((id, start));
    }

    /// <summary>How often <paramref name="a"/> and <paramref name="b"/> fired together.</summary>
    public int Together(string a, string b) => _pairs.GetValueOrDefault(Order(a, b));

    /// <summary>The alarms <paramref name="id"/> ever fired together with.</summary>
    public IReadOnlyCollection<string> Partners(string id) => _partners.TryGetValue(id, out var set) ? set : [];

    /// <summary>Whether the two keep firing together (the criterion above), given their episode counts.</summary>
    public bool Correlated(AlarmEntry a, AlarmEntry b, int min)
    {
        if (min <= 0)
        {
            return false;
        }

        var together = Together(a.Id, b.Id);
        return together >= min && together >= Share * Math.Max(a.Episodes, b.Episodes);
    }

    /// <summary>Forgets the pairs of an alarm whose rule is gone.</summary>
    public void Forget(string id)
    {
        if (_partners.Remove(id, out var partners))
        {
            foreach (var other in partners)
            {
                _pairs.Remove(Order(id, other));
                _partners.GetValueOrDefault(other)?.Remove(id);
            }
        }
    }

    public Dictionary<(string A, string B), int> TakeChanges()
    {
        var changes = _changed.ToDictionary(p => p, p => _pairs.GetValueOrDefault(p));
        _changed.Clear();
        return changes;
    }

    private void Set((string A, string B) pair, int count)
    {
        if (!_pairs.ContainsKey(pair) && _pairs.Count >= PairCapacity)
        {
            var rarest = _pairs.MinBy(p => p.Value).Key;
            _pairs.Remove(rarest);
            _partners.GetValueOrDefault(rarest.A)?.Remove(rarest.B);
            _partners.GetValueOrDefault(rarest.B)?.Remove(rarest.A);
        }

        _pairs[pair] = count;
        _changed.Add(pair);
        Partner(pair.A).Add(pair.B);
        Partner(pair.B).Add(pair.A);
    }

    private HashSet<string> Partner(string id)
    {
        if (!_partners.TryGetValue(id, out var set))
        {
            _partners[id] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        return set;
    }

    private static (string A, string B) Order(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
}
