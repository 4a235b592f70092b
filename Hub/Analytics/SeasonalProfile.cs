namespace Hub.Analytics;

/// <summary>
/// What is normal for one series at each phase of its season (e.g. 168 hourly buckets of a week): the mean and the
/// spread of the values seen in each bucket. Learned online by the rules' <c>baseline</c> and offline from history by
/// the profile-learning job; the rules' <c>baseline</c> and <c>deviation</c> read it.
/// </summary>
/// <param name="Series">The series (history's identity: topic, or topic + field).</param>
/// <param name="Period">The season's length (a day, a week, or what the job found).</param>
/// <param name="Mean">The mean per bucket (bucket <c>i</c> covers phase <c>[i, i+1) * Period / Mean.Length</c>, in UTC).</param>
/// <param name="Spread">The standard deviation per bucket.</param>
/// <param name="Count">The samples seen per bucket.</param>
/// <param name="LearnedAt">When it was learned.</param>
internal sealed record SeasonalProfile(
    string Series,
    TimeSpan Period,
    double[] Mean,
    double[] Spread,
    long[] Count,
    DateTimeOffset LearnedAt);
