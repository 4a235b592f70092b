using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Analytics.Alarms;

/// <summary>
/// The alarm lifecycle of every rule and key (docs/alarms.md): Normal → Pending → Firing → Recovering → Normal, NoData
/// and Error; flapping, re-notification, acknowledgements, silences, grouping, inhibition and correlation. Verdicts
/// and <see cref="Advance"/> drive it (the clock is the caller's: the hub's <see cref="TimeProvider"/>, or event time in
/// <c>hub replay</c>); what it decides goes to its <see cref="IAlarmSink"/>, called under the lifecycle's lock (so in
/// order; a sink must not call back). With a store, every key's state survives restarts and reloads.
/// </summary>
internal sealed class AlarmLifecycle : IAlarmLifecycle, IDisposable
{
    /// <summary>Without transitions, state that only moves with samples (last sample, flap history) is saved this often.</summary>
    public static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(5);
    private const int MemoryHistory = 1000;

    private readonly Lock _gate = new();
    private readonly IAlarmSink _sink;
    private readonly TimeProvider _time;
    private readonly IAlarmStore? _store;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Dictionary<string, AlarmEntry>> _entries = new(StringComparer.Ordinal);
    private readonly PriorityQueue<AlarmEntry, DateTimeOffset> _timers = new();
    private readonly HashSet<AlarmEntry> _held = [];
    private readonly HashSet<AlarmEntry> _mutedRepeats = [];
    private readonly AlarmGroups _groups = new();
    private readonly AlarmMutes _mutes = new();
    private readonly AlarmCorrelation _correlation = new();
    private readonly AlarmStoreBatch _batch = new();
    private readonly HashSet<AlarmEntry> _dirty = [];
    private readonly Queue<AlarmHistoryLine> _recent = new();
    private Dictionary<string, RuleOptions> _rules = new(StringComparer.Ordinal);
    private bool _recheck;
    private bool _transitioned;
    private DateTimeOffset _lastSave;
    private int _count;

    public AlarmLifecycle(IEnumerable<RuleOptions> rules, IAlarmSink sink, TimeProvider time, IAlarmStore? store = null, ILogger? logger = null)
    {
        _sink = sink;
        _time = time;
        _store = store;
        _logger = logger ?? NullLogger.Instance;
        _rules = rules.ToDictionary(r => r.Name, StringComparer.Ordinal);
        _lastSave = time.GetUtcNow();
        if (store is not null)
        {
            Load(store);
        }
    }

    /// <summary>How many keys are tracked.</summary>
    public int KeyCount => Volatile.Read(ref _count);

    public void Observe(RuleVerdict verdict)
    {
        lock (_gate)
        {
            if (!_rules.TryGetValue(verdict.Rule, out var rule))
            {
                return;
            }

            var entry = Entry(verdict.Rule, verdict.Key, verdict.Time, rule.Alarm);
            Sample(entry, rule.Alarm, verdict);
            Schedule(entry, rule.Alarm);
            SaveIfDue(verdict.Time);
        }
    }

    public void Advance(DateTimeOffset now)
    {
        lock (_gate)
        {
            var repeats = new List<AlarmEntry>();
            while (_timers.TryPeek(out var entry, out var due) && due <= now)
            {
                _timers.Dequeue();
                if (entry.Deadline != due || !_rules.TryGetValue(entry.Rule, out var rule) || !Tracked(entry))
                {
                    continue;
                }

                entry.Deadline = null;
                Timers(entry, rule.Alarm, now, repeats);
                Schedule(entry, rule.Alarm, after: now);
            }

            foreach (var id in _mutes.Expire(now))
            {
                _store?.DeleteSilence(id);
                _recheck = true;
            }

            if (_recheck)
            {
                _recheck = false;
                foreach (var held in _held.ToList())
                {
                    Decide(held, Policy(held), now, held.Since);
                }

                foreach (var muted in _mutedRepeats)
                {
                    Schedule(muted, Policy(muted));
                }

                _mutedRepeats.Clear();
            }

            Flush(now);
            SendRepeats(repeats);
            SaveIfDue(now);
        }
    }

    /// <summary>
    /// Takes the rules of a reloaded configuration: keys of rules that still exist keep their state (a changed rule's
    /// unchanged keys too); keys of removed rules are dropped. Returns the dropped keys (their retained topics are stale).
    /// </summary>
    public IReadOnlyList<(string Rule, string Key)> Configure(IEnumerable<RuleOptions> rules)
    {
        lock (_gate)
        {
            _rules = rules.ToDictionary(r => r.Name, StringComparer.Ordinal);
            var dropped = new List<(string, string)>();
            foreach (var name in _entries.Keys.Where(n => !_rules.ContainsKey(n)).ToList())
            {
                foreach (var entry in _entries[name].Values)
                {
                    Drop(entry);
                    dropped.Add((entry.Rule, entry.Key));
                }

                _entries.Remove(name);
            }

            foreach (var (name, keys) in _entries)
            {
                var policy = _rules[name].Alarm;
                foreach (var entry in keys.Values)
                {
                    _mutes.Track(entry, policy);
                    entry.Deadline = null;
                    Schedule(entry, policy);
                }
            }

            _recheck = true;
            Save();
            return dropped;
        }
    }

    /// <summary>Acknowledges an alarm that is on (firing, nodata, error): no repeats until it resolves or <paramref name="expires"/> (default: the rule's <c>ack_expire</c>) passes.</summary>
    public bool Acknowledge(string rule, string key, string by, string comment, TimeSpan? expires)
    {
        lock (_gate)
        {
            if (Find(rule, key) is not { IsAlerting: true } entry)
            {
                return false;
            }

            var now = _time.GetUtcNow();
            entry.AckBy = by;
            entry.AckComment = comment;
            entry.AckUntil = (expires ?? Policy(entry).AckExpire) is { } span ? now + span : null;
            Changed(entry);
            Publish(entry, entry.State, now);
            Schedule(entry, Policy(entry));
            Save();
            return true;
        }
    }

    public Silence AddSilence(IReadOnlyList<LabelMatcher> matchers, TimeSpan duration, string by, string comment)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var silence = new Silence(Guid.NewGuid().ToString("N")[..8], matchers, now, now + duration, by, comment);
            _mutes.Add(silence);
            _store?.SaveSilence(silence);
            _recheck = true;
            return silence;
        }
    }

    public bool RemoveSilence(string id)
    {
        lock (_gate)
        {
            if (!_mutes.Remove(id))
            {
                return false;
            }

            _store?.DeleteSilence(id);
            _recheck = true;
            return true;
        }
    }

    public IReadOnlyList<Silence> Silences()
    {
        lock (_gate)
        {
            return [.. _mutes.Silences.OrderBy(s => s.Starts)];
        }
    }

    /// <summary>The alarms (only those not Normal unless <paramref name="all"/>); correlated members appear under their leader.</summary>
    public IReadOnlyList<AlarmView> List(bool all = false)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var entries = _entries.Values.SelectMany(k => k.Values).Where(e => all || e.State != AlarmState.Normal).ToList();
            var members = entries.Where(e => e.CorrelatedWith is not null).ToLookup(e => e.CorrelatedWith!, e => e.Id, StringComparer.Ordinal);
            return [.. entries
                .Where(e => e.CorrelatedWith is null || Find(e.CorrelatedWith) is not { IsAlerting: true })
                .OrderBy(e => e.Rule, StringComparer.Ordinal).ThenBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => new AlarmView(AlarmMessages.Snapshot(e, e.State, _mutes.Reason(e, now) is not null), e.AckBy, e.AckUntil,
                    _mutes.Reason(e, now), [.. members[e.Id]], e.Notified))];
        }
    }

    /// <summary>The newest transitions first (from the store, or the last 1,000 kept in memory without one).</summary>
    public IReadOnlyList<AlarmHistoryLine> History(string? rule, string? key, int limit)
    {
        lock (_gate)
        {
            Save();
            return _store?.History(rule, key, limit)
                ?? [.. _recent.Reverse().Where(l => (rule is null || l.Rule == rule) && (key is null || l.Key == key)).Take(limit)];
        }
    }

    /// <summary>Writes what changed to the store.</summary>
    public void Save()
    {
        lock (_gate)
        {
            if (_store is null)
            {
                _dirty.Clear();
                return;
            }

            foreach (var entry in _dirty)
            {
                entry.Dirty = false;
                _batch.Changed.Add(entry);
            }

            foreach (var (pair, count) in _correlation.TakeChanges())
            {
                _batch.Pairs[pair] = count;
            }

            try
            {
                _store.Save(_batch);
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                _logger.LogError("Saving the alarm state failed: {Reason}", ex.Message);
            }

            _dirty.Clear();
            _batch.Changed.Clear();
            _batch.Removed.Clear();
            _batch.History.Clear();
            _batch.Pairs.Clear();
            _lastSave = _time.GetUtcNow();
            _transitioned = false;
        }
    }

    public void Dispose()
    {
        Save();
        _store?.Dispose();
    }

    private void Load(IAlarmStore store)
    {
        foreach (var entry in store.LoadAlarms())
        {
            if (!_rules.TryGetValue(entry.Rule, out var rule))
            {
                _batch.Removed.Add((entry.Rule, entry.Key));
                continue;
            }

            Keys(entry.Rule)[entry.Key] = entry;
            _count++;
            if (entry.Notified is not null)
            {
                _groups.MarkNotified(entry, rule.Alarm);
            }

            if (entry.AlertKind != entry.Notified)
            {
                _held.Add(entry);
                _recheck = true;
            }

            _mutes.Track(entry, rule.Alarm);
            Schedule(entry, rule.Alarm);
        }

        foreach (var silence in store.LoadSilences())
        {
            _mutes.Add(silence);
        }

        _correlation.Load(store.LoadPairs());
    }

    private AlarmEntry Entry(string rule, string key, DateTimeOffset time, AlarmPolicy policy)
    {
        var keys = Keys(rule);
        if (!keys.TryGetValue(key, out var entry))
        {
            keys[key] = entry = new AlarmEntry(rule, key) { Since = time, Severity = policy.Severity };
            Interlocked.Increment(ref _count);
        }

        return entry;
    }

    private Dictionary<string, AlarmEntry> Keys(string rule)
    {
        if (!_entries.TryGetValue(rule, out var keys))
        {
            _entries[rule] = keys = new Dictionary<string, AlarmEntry>(StringComparer.Ordinal);
        }

        return keys;
    }

    private AlarmEntry? Find(string rule, string key) => _entries.GetValueOrDefault(rule)?.GetValueOrDefault(key);

    /// <summary>By <c>RULE/KEY</c> (rule names hold no <c>/</c>; keys may).</summary>
    private AlarmEntry? Find(string id)
    {
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? null : Find(id[..slash], id[(slash + 1)..]);
    }

    private bool Tracked(AlarmEntry entry) => Find(entry.Rule, entry.Key) == entry;

    private AlarmPolicy Policy(AlarmEntry entry) => _rules[entry.Rule].Alarm;

    /// <summary>One verdict: the sample's values, flap detection, then the state machine.</summary>
    private void Sample(AlarmEntry entry, AlarmPolicy policy, RuleVerdict verdict)
    {
        var t = verdict.Time;
        entry.LastSample = t;
        entry.Value = verdict.Value;
        entry.Labels = verdict.Labels;
        entry.Values = verdict.Values;
        entry.Severity = policy.Severity;
        entry.LastWhen = verdict.When;
        entry.LastRecover = verdict.Recover;
        Changed(entry);
        var firingSince = entry.Since;
        if (verdict.Error is not null)
        {
            var stoppedFlapping = Flap(entry, policy, 'E', t);
            if (entry.State != AlarmState.Error)
            {
                Move(entry, policy, AlarmState.Error, t, verdict.Error);
            }
            else if (stoppedFlapping)
            {
                Decide(entry, policy, t, firingSince);
            }

            return;
        }

        var on = entry.State is AlarmState.Firing or AlarmState.Recovering;
        var problem = on ? !verdict.Recover : verdict.When;
        var settled = Flap(entry, policy, problem ? '1' : '0', t);
        var before = entry.State;
        switch (entry.State)
        {
            case AlarmState.Pending when !verdict.When:
                Move(entry, policy, AlarmState.Normal, t);
                break;
            case AlarmState.Pending when t - entry.Since >= policy.For:
                Move(entry, policy, AlarmState.Firing, t);
                break;
            case AlarmState.Firing when verdict.Recover:
                Move(entry, policy, policy.ClearFor <= TimeSpan.Zero ? AlarmState.Normal : AlarmState.Recovering, t);
                break;
            case AlarmState.Recovering when !verdict.Recover:
                Move(entry, policy, AlarmState.Firing, t);
                break;
            case AlarmState.Recovering when t - entry.Since >= policy.ClearFor:
                Move(entry, policy, AlarmState.Normal, t);
                break;
            case AlarmState.Normal or AlarmState.NoData or AlarmState.Error when verdict.When:
                Move(entry, policy, policy.For <= TimeSpan.Zero ? AlarmState.Firing : AlarmState.Pending, t);
                break;
            case AlarmState.NoData or AlarmState.Error:
                Move(entry, policy, AlarmState.Normal, t);
                break;
        }

        if (settled && entry.State == before)
        {
            Decide(entry, policy, t, firingSince);
        }
    }

    /// <summary>Records one evaluation for flap detection; true when the key just stopped flapping (its held notifications are due).</summary>
    private bool Flap(AlarmEntry entry, AlarmPolicy policy, char code, DateTimeOffset t)
    {
        if (!policy.FlapDetection)
        {
            return false;
        }

        entry.FlapHistory = FlapDetector.Append(entry.FlapHistory, code);
        var percent = FlapDetector.PercentChange(entry.FlapHistory);
        var flapping = FlapDetector.IsFlapping(entry.Flapping, percent, policy.FlapLow, policy.FlapHigh);
        if (flapping == entry.Flapping)
        {
            return false;
        }

        entry.Flapping = flapping;
        Publish(entry, entry.State, t);
        if (!flapping)
        {
            return true;
        }

        if (_mutes.Reason(entry, t) is null)
        {
            _sink.Notify(AlarmMessages.Flapping(entry, percent));
        }

        if (entry.Queued)
        {
            _groups.Remove(entry);
            if (entry.Notified is not null)
            {
                _groups.MarkNotified(entry, policy);
            }

            _held.Add(entry);
        }

        return false;
    }

    /// <summary>The time-driven parts of one key at <paramref name="now"/>: <c>for</c>, <c>clear_for</c>, <c>expect_every</c>, ack expiry, <c>repeat</c>.</summary>
    private void Timers(AlarmEntry entry, AlarmPolicy policy, DateTimeOffset now, List<AlarmEntry> repeats)
    {
        if (entry.State == AlarmState.Pending && entry.LastWhen && entry.Since + policy.For <= now)
        {
            Move(entry, policy, AlarmState.Firing, entry.Since + policy.For);
        }

        if (entry.State == AlarmState.Recovering && entry.LastRecover && entry.Since + policy.ClearFor <= now)
        {
            Move(entry, policy, AlarmState.Normal, entry.Since + policy.ClearFor);
        }

        if (policy.ExpectEvery is { } every && entry.State != AlarmState.NoData && entry.LastSample is { } last && last + every <= now)
        {
            Move(entry, policy, AlarmState.NoData, last + every);
        }

        if (entry.AckUntil is { } until && until <= now)
        {
            entry.AckBy = entry.AckComment = null;
            entry.AckUntil = null;
            Changed(entry);
            Publish(entry, entry.State, now);
            _recheck = true;
        }

        if (Repeats(entry, policy) is { } repeat && entry.NotifiedAt + repeat <= now)
        {
            if (_mutes.Reason(entry, now) is not null)
            {
                _mutedRepeats.Add(entry); // rescheduled when a silence or an inhibition ends
                return;
            }

            entry.NotifiedAt = now;
            Changed(entry);
            repeats.Add(entry);
        }
    }

    /// <summary>The repeat interval when the key is due for repeats at all (announced, still in that state, not acknowledged, flapping or folded).</summary>
    private static TimeSpan? Repeats(AlarmEntry entry, AlarmPolicy policy) =>
        policy.Repeat is { } repeat && repeat > TimeSpan.Zero && entry.Notified is not null && entry.Notified == entry.AlertKind
            && entry.CorrelatedWith is null && !entry.Flapping && !entry.IsAcknowledged ? repeat : null;

    /// <summary>
    /// Keeps one wake-up per key at its earliest due timer (an earlier one already queued stays: it reschedules when it
    /// fires). A timer that could not act at <paramref name="after"/> is not queued again for the same instant.
    /// </summary>
    private void Schedule(AlarmEntry entry, AlarmPolicy policy, DateTimeOffset? after = null)
    {
        DateTimeOffset? next = null;
        void Consider(DateTimeOffset? at)
        {
            if (at is { } time && (next is null || time < next))
            {
                next = time;
            }
        }

        if (entry.State == AlarmState.Pending && entry.LastWhen)
        {
            Consider(entry.Since + policy.For);
        }

        if (entry.State == AlarmState.Recovering && entry.LastRecover)
        {
            Consider(entry.Since + policy.ClearFor);
        }

        if (policy.ExpectEvery is { } every && entry.State != AlarmState.NoData)
        {
            Consider(entry.LastSample + every);
        }

        Consider(entry.AckUntil);
        if (Repeats(entry, policy) is { } repeat && !_mutedRepeats.Contains(entry))
        {
            Consider(entry.NotifiedAt + repeat);
        }

        if (next is null || next <= after || (entry.Deadline is { } scheduled && scheduled <= next))
        {
            return;
        }

        entry.Deadline = next;
        _timers.Enqueue(entry, next.Value);
    }

    private void Move(AlarmEntry entry, AlarmPolicy policy, AlarmState to, DateTimeOffset t, string? error = null)
    {
        var from = entry.State;
        var firingSince = entry.Since;
        entry.State = to;
        entry.Since = t;
        entry.Summary = error ?? AlarmMessages.Render(policy.Summary, entry);
        if (to == AlarmState.Firing && from != AlarmState.Recovering)
        {
            entry.Episodes++;
            if (policy.CorrelateMin > 0)
            {
                _correlation.Started(entry, t, policy.CorrelateWindow);
            }
        }

        if (!entry.IsAlerting)
        {
            entry.AckBy = entry.AckComment = null;
            entry.AckUntil = null;
        }

        if (_mutes.Track(entry, policy))
        {
            _recheck = true;
        }

        Changed(entry);
        Publish(entry, from, t);
        Decide(entry, policy, t, firingSince);
    }

    /// <summary>What the targets hear of the key's current state: a queued message, a resolved one at once, or nothing yet (held while muted, flapping or acknowledged).</summary>
    private void Decide(AlarmEntry entry, AlarmPolicy policy, DateTimeOffset t, DateTimeOffset firingSince)
    {
        var kind = entry.AlertKind;
        if (kind == entry.Notified)
        {
            _held.Remove(entry);
            return;
        }

        if (kind is null)
        {
            if (entry.Queued || entry.Notified is null)
            {
                _groups.Remove(entry);
                _held.Remove(entry);
                if (entry.Notified is null)
                {
                    return;
                }
            }

            if (entry.Flapping)
            {
                _held.Add(entry);
                return;
            }

            var folded = entry.CorrelatedWith is not null;
            if (!folded && _mutes.Reason(entry, t) is null)
            {
                _sink.Notify(AlarmMessages.Resolved(entry, firingSince, t));
            }

            entry.Notified = null;
            entry.NotifiedAt = null;
            entry.CorrelatedWith = null;
            Changed(entry);
            _groups.Remove(entry);
            _held.Remove(entry);
            return;
        }

        if (entry.Flapping || entry.IsAcknowledged || _mutes.Reason(entry, t) is not null)
        {
            _held.Add(entry);
            return;
        }

        _held.Remove(entry);
        if (kind == "firing" && policy.CorrelateMin > 0 && Leader(entry, policy) is { } leader)
        {
            entry.Notified = kind;
            entry.NotifiedAt = t;
            entry.CorrelatedWith = leader.Id;
            Changed(entry);
            _groups.MarkNotified(entry, policy);
            return;
        }

        _groups.Enqueue(entry, policy, t);
    }

    /// <summary>An alarm already announced as firing that <paramref name="entry"/> keeps firing together with: it is shown under that one.</summary>
    private AlarmEntry? Leader(AlarmEntry entry, AlarmPolicy policy)
    {
        foreach (var id in _correlation.Partners(entry.Id))
        {
            if (Find(id) is { Notified: "firing", CorrelatedWith: null } partner && partner.AlertKind == "firing" && _correlation.Correlated(entry, partner, policy.CorrelateMin))
            {
                return partner;
            }
        }

        return null;
    }

    /// <summary>Sends every group message that is due: the group's new alarms, correlated ones as one line.</summary>
    private void Flush(DateTimeOffset now)
    {
        foreach (var (group, alarms) in _groups.TakeDue(now))
        {
            var send = new List<AlarmEntry>();
            foreach (var entry in alarms)
            {
                if (!Tracked(entry) || entry.AlertKind is null || entry.AlertKind == entry.Notified)
                {
                    continue;
                }

                if (entry.Flapping || entry.IsAcknowledged || _mutes.Reason(entry, now) is not null)
                {
                    _held.Add(entry);
                    continue;
                }

                send.Add(entry);
            }

            if (send.Count == 0)
            {
                continue;
            }

            var lines = new List<(AlarmEntry, IReadOnlyList<AlarmEntry>)>();
            var placed = new HashSet<AlarmEntry>();
            foreach (var entry in send.Where(placed.Add))
            {
                var min = Policy(entry).CorrelateMin;
                var correlated = send.Where(o => !placed.Contains(o) && o.AlertKind == entry.AlertKind && _correlation.Correlated(entry, o, min)).ToList();
                foreach (var member in correlated)
                {
                    placed.Add(member);
                    member.CorrelatedWith = entry.Id;
                }

                lines.Add((entry, correlated));
            }

            var kinds = send.Select(e => e.AlertKind!).Distinct().ToList();
            _sink.Notify(AlarmMessages.Alarms(kinds.Count == 1 ? kinds[0] : "firing", group, lines, e => AlarmMessages.Render(Policy(e).Description, e)));
            foreach (var entry in send)
            {
                entry.Notified = entry.AlertKind;
                entry.NotifiedAt = now;
                group.Notified.Add(entry);
                Changed(entry);
                Schedule(entry, Policy(entry));
            }

            // What was announced is saved at once, as a transition is: a hub killed now must not announce it again.
            _transitioned = true;
        }
    }

    private void SendRepeats(List<AlarmEntry> repeats)
    {
        _transitioned |= repeats.Count > 0;
        foreach (var byGroup in repeats.GroupBy(e => _groups.GroupOf(e, Policy(e))))
        {
            _sink.Notify(AlarmMessages.Alarms("repeat", byGroup.Key, [.. byGroup.Select(e => (e, (IReadOnlyList<AlarmEntry>)[]))],
                e => AlarmMessages.Render(Policy(e).Description, e)));
        }
    }

    private void Drop(AlarmEntry entry)
    {
        _groups.Remove(entry);
        _held.Remove(entry);
        _mutes.Forget(entry);
        _correlation.Forget(entry.Id);
        _dirty.Remove(entry);
        _batch.Removed.Add((entry.Rule, entry.Key));
        Interlocked.Decrement(ref _count);
    }

    private void Changed(AlarmEntry entry)
    {
        if (!entry.Dirty)
        {
            entry.Dirty = true;
            _dirty.Add(entry);
        }
    }

    /// <summary>Publishes the key's state (a transition, or a change of its flapping or acknowledged flag) and records it in the history.</summary>
    private void Publish(AlarmEntry entry, AlarmState previous, DateTimeOffset t)
    {
        var transition = AlarmMessages.Snapshot(entry, previous, _mutes.Reason(entry, t) is not null);
        _sink.Transition(transition);
        var line = new AlarmHistoryLine(t, entry.Rule, entry.Key, AlarmJson.Transition(transition, t));
        if (_store is null)
        {
            _recent.Enqueue(line);
            if (_recent.Count > MemoryHistory)
            {
                _recent.Dequeue();
            }
        }
        else
        {
            _batch.History.Add(line);
            _transitioned = true;
        }
    }

    private void SaveIfDue(DateTimeOffset now)
    {
        if (_store is null)
        {
            _dirty.Clear();
            return;
        }

        if (_transitioned || now - _lastSave >= SaveInterval || _time.GetUtcNow() - _lastSave >= SaveInterval)
        {
            Save();
        }
    }
}
