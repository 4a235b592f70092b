namespace Hub.Analytics.Alarms;

/// <summary>
/// Alertmanager's grouping of notifications, per rule: alarms with equal values of the rule's <c>group_by</c> labels
/// form a group (no <c>group_by</c>: one group per rule; <c>group_by = ...</c>: every alarm its own). A new group
/// waits <c>group_wait</c> before its first message, collecting the alarms that start meanwhile; after that, alarms
/// that join wait until <c>group_interval</c> has passed since the group's last message. A group whose notified
/// alarms all resolved starts afresh. Not thread-safe: <see cref="AlarmLifecycle"/> calls it under its lock.
/// </summary>
internal sealed class AlarmGroups
{
    private readonly Dictionary<string, AlarmGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<AlarmEntry, AlarmGroup> _byEntry = [];

    /// <summary>Queues <paramref name="entry"/> for its group's next message.</summary>
    public void Enqueue(AlarmEntry entry, AlarmPolicy policy, DateTimeOffset now)
    {
        var group = GroupOf(entry, policy);
        if (entry.Queued)
        {
            return;
        }

        entry.Queued = true;
        group.Pending.Add(entry);
        if (group.NextFlush is null)
        {
            group.NextFlush = group.Notified.Count == 0 || group.LastFlush is null
                ? now + policy.GroupWait
                : Max(now, group.LastFlush.Value + policy.GroupInterval);
        }
    }

    /// <summary>The alarm resolved (or was muted): out of its group's next message, and no longer counted as notified.</summary>
    public void Remove(AlarmEntry entry)
    {
        if (!_byEntry.Remove(entry, out var group))
        {
            return;
        }

        entry.Queued = false;
        group.Pending.Remove(entry);
        group.Notified.Remove(entry);
        if (group.Pending.Count == 0)
        {
            group.NextFlush = null;
        }

        if (group.Pending.Count == 0 && group.Notified.Count == 0)
        {
            _groups.Remove(group.Key);
        }
    }

    /// <summary>Marks <paramref name="entry"/> as announced by its group (a restart restores these without a message).</summary>
    public void MarkNotified(AlarmEntry entry, AlarmPolicy policy) => GroupOf(entry, policy).Notified.Add(entry);

    /// <summary>The groups whose message is due at <paramref name="now"/>, each with its pending alarms (taken out of the group).</summary>
    public List<(AlarmGroup Group, List<AlarmEntry> Alarms)> TakeDue(DateTimeOffset now)
    {
        List<(AlarmGroup, List<AlarmEntry>)>? due = null;
        foreach (var group in _groups.Values)
        {
            if (group.NextFlush is { } at && at <= now)
            {
                var alarms = group.Pending.ToList();
                group.Pending.Clear();
                group.NextFlush = null;
                group.LastFlush = now;
                foreach (var entry in alarms)
                {
                    entry.Queued = false;
                }

                (due ??= []).Add((group, alarms));
            }
        }

        return due ?? [];
    }

    /// <summary>The earliest due message, for callers that sleep until then.</summary>
    public DateTimeOffset? NextFlush => _groups.Values.Select(g => g.NextFlush).Where(t => t is not null).Min();

    /// <summary>The group of an alarm (created when missing).</summary>
    public AlarmGroup GroupOf(AlarmEntry entry, AlarmPolicy policy)
    {
        if (_byEntry.TryGetValue(entry, out var existing))
        {
            return existing;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        string key;
        if (policy.GroupBy is ["..."])
        {
            key = entry.Rule + "\u001f" + entry.Key;
            labels["key"] = entry.Key;
        }
        else
        {
            foreach (var name in policy.GroupBy)
            {
                labels[name] = entry.Label(name) ?? "";
            }

            key = entry.Rule + "\u001f" + string.Join("\u001f", policy.GroupBy.Select(n => labels[n]));
        }

        if (!_groups.TryGetValue(key, out var group))
        {
            _groups[key] = group = new AlarmGroup(key, entry.Rule, labels);
        }

        _byEntry[entry] = group;
        return group;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
