namespace Hub.Analytics.Alarms;

/// <summary>
/// Where <see cref="AlarmLifecycle"/> keeps its state across restarts and reloads: every key's state, the silences,
/// the transition history and the correlation counts. <see cref="SqliteAlarmStore"/> is the local one.
/// </summary>
internal interface IAlarmStore : IDisposable
{
    IReadOnlyList<AlarmEntry> LoadAlarms();

    IReadOnlyList<Silence> LoadSilences();

    /// <summary>How often each pair of alarms (<c>RULE/KEY</c>, ordinal order) fired together.</summary>
    IReadOnlyDictionary<(string A, string B), int> LoadPairs();

    /// <summary>Saves in one transaction: changed keys, removed keys, new history lines (time, transition), changed pairs.</summary>
    void Save(AlarmStoreBatch batch);

    void SaveSilence(Silence silence);

    void DeleteSilence(string id);

    /// <summary>The newest transitions first (optionally of one rule, or one rule's key), at most <paramref name="limit"/>.</summary>
    IReadOnlyList<AlarmHistoryLine> History(string? rule, string? key, int limit);
}
