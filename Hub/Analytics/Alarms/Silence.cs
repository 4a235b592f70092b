namespace Hub.Analytics.Alarms;

/// <summary>
/// A silence: while <see cref="Starts"/> ≤ now &lt; <see cref="Ends"/>, alarms whose labels satisfy every matcher send
/// no notifications (their states are still tracked and published).
/// </summary>
/// <param name="Id">A short identifier for <c>hub alarms unsilence</c>.</param>
/// <param name="Matchers">All must match.</param>
/// <param name="Starts">When it was created.</param>
/// <param name="Ends">When it expires.</param>
/// <param name="CreatedBy">Who created it.</param>
/// <param name="Comment">Why.</param>
internal sealed record Silence(string Id, IReadOnlyList<LabelMatcher> Matchers, DateTimeOffset Starts, DateTimeOffset Ends, string CreatedBy, string Comment)
{
    /// <summary>The matchers as written (<c>site=north, rule=~dev.*</c>).</summary>
    public string MatcherText => string.Join(", ", Matchers);

    public bool IsActive(DateTimeOffset now) => Starts <= now && now < Ends;
}
