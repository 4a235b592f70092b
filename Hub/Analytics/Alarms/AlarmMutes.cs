namespace Hub.Analytics.Alarms;

/// <summary>
/// What mutes an alarm's notifications: silences (matchers and a time span) and inhibition (while an alarm of a rule
/// with <c>inhibit =</c> fires, alarms of other rules that match its matchers, with equal <c>inhibit_equal</c> labels,
/// are muted: site down mutes its devices). Muted alarms still change state and are published. Not thread-safe:
/// <see cref="AlarmLifecycle"/> calls it under its lock.
/// </summary>
internal sealed class AlarmMutes
{
    private readonly Dictionary<string, Silence> _silences = new(StringComparer.Ordinal);
    private readonly Dictionary<AlarmEntry, AlarmPolicy> _inhibitors = [];

    public IReadOnlyCollection<Silence> Silences => _silences.Values;

    public void Add(Silence silence) => _silences[silence.Id] = silence;

    public bool Remove(string id) => _silences.Remove(id);

    /// <summary>Drops the silences that ended by <paramref name="now"/>; returns their ids.</summary>
    public List<string> Expire(DateTimeOffset now)
    {
        var ended = _silences.Values.Where(s => s.Ends <= now).Select(s => s.Id).ToList();
        foreach (var id in ended)
        {
            _silences.Remove(id);
        }

        return ended;
    }

    /// <summary>Tracks whether <paramref name="entry"/> inhibits others now (its rule has <c>inhibit</c> and it fires); true when that changed.</summary>
    public bool Track(AlarmEntry entry, AlarmPolicy policy)
    {
        var inhibits = policy.Inhibit.Count > 0 && entry.State is AlarmState.Firing or AlarmState.Recovering;
        return inhibits ? _inhibitors.TryAdd(entry, policy) : _inhibitors.Remove(entry);
    }

    public void Forget(AlarmEntry entry) => _inhibitors.Remove(entry);

    /// <summary>Why <paramref name="entry"/> is muted at <paramref name="now"/> (<c>silence ID</c>, <c>inhibited by RULE/KEY</c>), or null.</summary>
    public string? Reason(AlarmEntry entry, DateTimeOffset now)
    {
        foreach (var silence in _silences.Values)
        {
            if (silence.IsActive(now) && silence.Matchers.All(m => m.Matches(entry.Label)))
            {
                return $"silence {silence.Id}";
            }
        }

        foreach (var (source, policy) in _inhibitors)
        {
            if (source.Rule != entry.Rule && policy.Inhibit.All(m => m.Matches(entry.Label))
                && policy.InhibitEqual.All(label => source.Label(label) == entry.Label(label)))
            {
                return $"inhibited by {source.Id}";
            }
        }

        return null;
    }
}
