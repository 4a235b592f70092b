namespace Hub.Analytics;

/// <summary>
/// A key's change of state: the JSON object published on <c>alarms/RULE/KEY</c> and <c>alarms/events</c>
/// (<c>rule, key, state, severity, value, since, summary, labels, flapping</c>) and printed by <c>hub replay</c>.
/// </summary>
internal sealed record AlarmTransition(
    string Rule,
    string Key,
    AlarmState State,
    AlarmState Previous,
    string Severity,
    double? Value,
    DateTimeOffset Since,
    string? Summary,
    IReadOnlyDictionary<string, string> Labels,
    bool Flapping)
{
    /// <summary>Someone acknowledged the alarm (sticky until it resolves, or until its expiry).</summary>
    public bool Acknowledged { get; init; }

    /// <summary>A silence or an inhibiting alarm mutes its notifications.</summary>
    public bool Muted { get; init; }
}
