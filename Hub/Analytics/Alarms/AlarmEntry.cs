namespace Hub.Analytics.Alarms;

/// <summary>The lifecycle state of one rule's key: what <see cref="AlarmLifecycle"/> keeps, and persists, per alarm.</summary>
internal sealed class AlarmEntry(string rule, string key)
{
    public string Rule { get; } = rule;
    public string Key { get; } = key;

    /// <summary><c>RULE/KEY</c>, the alarm's identity in lists, correlation and commands.</summary>
    public string Id => $"{Rule}/{Key}";

    public AlarmState State { get; set; }

    /// <summary>When it entered <see cref="State"/> (the start of the <c>for</c>/<c>clear_for</c> countdown).</summary>
    public DateTimeOffset Since { get; set; }

    public double? Value { get; set; }
    public string Severity { get; set; } = "warning";
    public string? Summary { get; set; }
    public IReadOnlyDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();

    /// <summary>The values of the last verdict (for summaries and descriptions); not persisted.</summary>
    public IReadOnlyDictionary<string, object?> Values { get; set; } = new Dictionary<string, object?>();

    public DateTimeOffset? LastSample { get; set; }

    /// <summary>The last verdict's <c>when</c> and <c>recover</c> (the <c>for</c>/<c>clear_for</c> timers fire only while they still hold).</summary>
    public bool LastWhen { get; set; }
    public bool LastRecover { get; set; }

    public bool Flapping { get; set; }

    /// <summary>The last 21 evaluations, one code each (<c>0</c> ok, <c>1</c> problem, <c>E</c> error), oldest first.</summary>
    public string FlapHistory { get; set; } = "";

    /// <summary>What the targets were last told is going on: <c>firing</c>, <c>nodata</c>, <c>error</c>, or null (nothing, or resolved).</summary>
    public string? Notified { get; set; }
    public DateTimeOffset? NotifiedAt { get; set; }

    public string? AckBy { get; set; }
    public string? AckComment { get; set; }
    public DateTimeOffset? AckUntil { get; set; }

    /// <summary>How many times it started firing (the correlation's denominator).</summary>
    public int Episodes { get; set; }

    /// <summary>The alarm it was shown with as one correlated group (<c>RULE/KEY</c>), while it fires.</summary>
    public string? CorrelatedWith { get; set; }

    /// <summary>The next time a timer of this key is due, as scheduled; null = none scheduled.</summary>
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>Waiting in its group for the next flush.</summary>
    public bool Queued { get; set; }

    /// <summary>Changed since the store last saved it.</summary>
    public bool Dirty { get; set; }

    public bool IsAcknowledged => AckBy is not null;

    /// <summary>Firing or Recovering (the alarm is on), NoData or Error.</summary>
    public bool IsAlerting => State is AlarmState.Firing or AlarmState.Recovering or AlarmState.NoData or AlarmState.Error;

    /// <summary>The notification kind its state calls for: <c>firing</c>, <c>nodata</c>, <c>error</c>, or null (Normal, Pending).</summary>
    public string? AlertKind => State switch
    {
        AlarmState.Firing or AlarmState.Recovering => "firing",
        AlarmState.NoData => "nodata",
        AlarmState.Error => "error",
        _ => null,
    };

    /// <summary>A label for matchers: its own, or <c>rule</c>, <c>key</c>, <c>severity</c>, <c>state</c>.</summary>
    public string? Label(string name) => name switch
    {
        "rule" => Rule,
        "key" => Key,
        "severity" => Severity,
        "state" => AlarmStates.Name(State),
        _ => Labels.GetValueOrDefault(name),
    };
}
