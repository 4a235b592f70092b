namespace Hub.Analytics.Alarms;

/// <summary>What <see cref="IAlarmStore.Save"/> writes in one transaction.</summary>
internal sealed class AlarmStoreBatch
{
    public List<AlarmEntry> Changed { get; } = [];
    public List<(string Rule, string Key)> Removed { get; } = [];
    public List<AlarmHistoryLine> History { get; } = [];
    public Dictionary<(string A, string B), int> Pairs { get; } = [];

    public bool IsEmpty => Changed.Count == 0 && Removed.Count == 0 && History.Count == 0 && Pairs.Count == 0;
}
