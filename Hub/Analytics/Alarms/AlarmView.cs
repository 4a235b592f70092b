namespace Hub.Analytics.Alarms;

/// <summary>One alarm as <c>hub alarms list</c> shows it.</summary>
/// <param name="Alarm">Its current state, as published.</param>
/// <param name="AcknowledgedBy">Who acknowledged it, or null.</param>
/// <param name="AcknowledgedUntil">When the acknowledgement lapses (null: when it resolves).</param>
/// <param name="MutedBy">The silences (<c>silence ID</c>) or the inhibiting alarm (<c>inhibited by RULE/KEY</c>) that mute it, or null.</param>
/// <param name="Correlated">The alarms shown with it as one group (it leads them), empty when none.</param>
/// <param name="Notified">What its targets were last told (<c>firing</c>, <c>nodata</c>, <c>error</c>), or null.</param>
internal sealed record AlarmView(
    AlarmTransition Alarm,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedUntil,
    string? MutedBy,
    IReadOnlyList<string> Correlated,
    string? Notified);
