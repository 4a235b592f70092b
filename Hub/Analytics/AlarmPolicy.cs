namespace Hub.Analytics;

/// <summary>
/// The lifecycle keys of a <c>[rule:NAME]</c> section: how a rule's alarms move between states and who hears about
/// it. Read by the rule reader with the rest of the section; used by the alarm lifecycle.
/// </summary>
internal sealed record AlarmPolicy
{
    /// <summary><c>for =</c>: how long <c>when</c> must hold before Pending becomes Firing (0 = at once).</summary>
    public TimeSpan For { get; init; }

    /// <summary><c>clear_for =</c>: how long <c>recover</c> must hold before Recovering becomes Normal (0 = at once).</summary>
    public TimeSpan ClearFor { get; init; }

    /// <summary><c>severity =</c> (default <c>warning</c>).</summary>
    public string Severity { get; init; } = "warning";

    /// <summary><c>summary =</c> and <c>description =</c>: format strings over the value, thresholds and derived values.</summary>
    public string? Summary { get; init; }

    public string? Description { get; init; }

    /// <summary><c>labels = {'site': 'north'}</c> (values may be format strings).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary><c>repeat =</c>: re-notify while firing at this interval; null = never.</summary>
    public TimeSpan? Repeat { get; init; }

    /// <summary><c>expect_every =</c>: no data for this long makes the key NoData; null = no watchdog.</summary>
    public TimeSpan? ExpectEvery { get; init; }

    /// <summary><c>group_by =</c>, <c>group_wait =</c>, <c>group_interval =</c>: Alertmanager-style grouping of notifications.</summary>
    public IReadOnlyList<string> GroupBy { get; init; } = [];

    public TimeSpan GroupWait { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan GroupInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>flapping = false</c> turns flap detection off (default on).</summary>
    public bool FlapDetection { get; init; } = true;

    /// <summary><c>flap_low =</c> and <c>flap_high =</c>: percent state change thresholds (Nagios's defaults 5 and 20).</summary>
    public double FlapLow { get; init; } = 5;

    public double FlapHigh { get; init; } = 20;

    /// <summary><c>ack_expire =</c>: an acknowledgement without its own expiry lapses after this; null = sticky until resolved.</summary>
    public TimeSpan? AckExpire { get; init; }

    /// <summary><c>inhibit =</c>: while an alarm of this rule fires, alarms (of other rules or keys) matching all of these get no notifications.</summary>
    public IReadOnlyList<Alarms.LabelMatcher> Inhibit { get; init; } = [];

    /// <summary><c>inhibit_equal =</c>: labels the inhibiting and the inhibited alarm must have equal (e.g. <c>site</c>).</summary>
    public IReadOnlyList<string> InhibitEqual { get; init; } = [];

    /// <summary><c>correlate_window =</c>: two alarms that start firing within this of each other fired together (default 1 minute).</summary>
    public TimeSpan CorrelateWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary><c>correlate_min =</c>: how often two alarms must have fired together before they are shown as one group (default 3; 0 = off).</summary>
    public int CorrelateMin { get; init; } = 3;

    /// <summary>Every lifecycle key of the section with its line (raw text): the lifecycle may read keys added later from here.</summary>
    public IReadOnlyDictionary<string, (string Value, int Line)> Keys { get; init; } = new Dictionary<string, (string Value, int Line)>();
}
