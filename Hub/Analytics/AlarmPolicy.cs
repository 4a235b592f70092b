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

    /// <summary>Every lifecycle key of the section with its line (raw text): the lifecycle may read keys added later from here.</summary>
    public IReadOnlyDictionary<string, (string Value, int Line)> Keys { get; init; } = new Dictionary<string, (string Value, int Line)>();
}
