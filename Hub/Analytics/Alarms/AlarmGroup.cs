namespace Hub.Analytics.Alarms;

/// <summary>One notification group of <see cref="AlarmGroups"/>: its alarms waiting for a message and those announced.</summary>
internal sealed class AlarmGroup(string key, string rule, IReadOnlyDictionary<string, string> labels)
{
    public string Key { get; } = key;
    public string Rule { get; } = rule;

    /// <summary>The <c>group_by</c> labels and their values.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; } = labels;

    public List<AlarmEntry> Pending { get; } = [];
    public HashSet<AlarmEntry> Notified { get; } = [];
    public DateTimeOffset? NextFlush { get; set; }
    public DateTimeOffset? LastFlush { get; set; }
}
