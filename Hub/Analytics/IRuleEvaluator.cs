namespace Hub.Analytics;

/// <summary>The rules of one configuration evaluated against messages: the same code for <c>hub run</c>, <c>hub test</c> and <c>hub replay</c>.</summary>
internal interface IRuleEvaluator
{
    /// <summary>
    /// The verdicts of every rule whose topic matches, one per rule (and key), updating each key's derived values.
    /// <paramref name="arrival"/> is the clock's time (virtual in replay); a rule with <c>time =</c> uses the payload's.
    /// </summary>
    IReadOnlyList<RuleVerdict> Evaluate(string topic, ReadOnlyMemory<byte> payload, DateTimeOffset arrival);
}
