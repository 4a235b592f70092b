namespace Hub.Analytics;

/// <summary>
/// A rule's verdict on one sample of one key: produced by the rule evaluator (per message, or in replay), consumed
/// by the alarm lifecycle.
/// </summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="Key">The alarm identity (the rule's <c>key</c> format rendered).</param>
/// <param name="Time">The sample's time: event time when the rule has <c>time =</c>, else arrival time.</param>
/// <param name="Value">The number the rule read; null when <paramref name="Error"/> is set.</param>
/// <param name="When">The firing condition holds.</param>
/// <param name="Recover">The clear condition holds (<c>!When</c> when the rule has no <c>recover</c>).</param>
/// <param name="Error">Why the value or a condition could not be evaluated (the Error state), else null.</param>
/// <param name="Values">The value, derived values and thresholds by name, for summaries, descriptions and <c>hub test</c>.</param>
/// <param name="Labels">The rule's labels rendered for this sample.</param>
internal sealed record RuleVerdict(
    string Rule,
    string Key,
    DateTimeOffset Time,
    double? Value,
    bool When,
    bool Recover,
    string? Error,
    IReadOnlyDictionary<string, object?> Values,
    IReadOnlyDictionary<string, string> Labels);
