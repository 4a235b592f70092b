namespace Hub.Analytics;

/// <summary>
/// The alarm lifecycle of every rule and key (Normal, Pending, Firing, Recovering, NoData, Error; flapping, repeat,
/// grouping, silences, acknowledgements). Fed with verdicts and the clock; what it decides goes to its
/// <see cref="IAlarmSink"/>. Safe to call from several threads.
/// </summary>
internal interface IAlarmLifecycle
{
    /// <summary>Takes one verdict (a sample of one key).</summary>
    void Observe(RuleVerdict verdict);

    /// <summary>Moves the time-driven parts (<c>for</c>, <c>clear_for</c>, <c>expect_every</c>, <c>repeat</c>, grouping) to <paramref name="now"/>.</summary>
    void Advance(DateTimeOffset now);
}
