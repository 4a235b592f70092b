namespace Hub.Analytics;

/// <summary>
/// One <c>[rule:NAME]</c> section as read from the INI (Hub/Config/Sections reads it; nothing here knows the INI):
/// what a rule evaluates per message. How its alarms behave over time is its <see cref="Alarm"/> policy.
/// </summary>
internal sealed record RuleOptions
{
    /// <summary>The rule's name (<c>NAME</c> of <c>[rule:NAME]</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The file and line of the section header, for errors found after loading.</summary>
    public required string File { get; init; }

    public required int Line { get; init; }

    /// <summary><c>topic =</c>: the MQTT topic filter of the messages the rule evaluates.</summary>
    public required string Topic { get; init; }

    /// <summary><c>value =</c>: a data field or expression giving the number; null = the payload read as a number.</summary>
    public string? Value { get; init; }

    /// <summary><c>key =</c>: the alarm identity, a format string over the message's data (default <c>{topic}</c>).</summary>
    public string Key { get; init; } = "{topic}";

    /// <summary><c>when =</c>: the firing condition (an expression).</summary>
    public required string When { get; init; }

    /// <summary><c>recover =</c>: the clear condition (hysteresis); null = <see cref="When"/> no longer holds.</summary>
    public string? Recover { get; init; }

    /// <summary><c>time =</c>: event time from the payload (a format string such as <c>{ts}</c>); null = arrival time.</summary>
    public string? Time { get; init; }

    /// <summary><c>window =</c>, <c>ewma_alpha =</c>, <c>deadband =</c>: the settings of the derived values.</summary>
    public Rules.Derived.DerivedOptions Derived { get; init; } = new();

    /// <summary>The rule's alarm lifecycle settings.</summary>
    public AlarmPolicy Alarm { get; init; } = new();

    /// <summary>Every key of the section with its line (raw text), for readers and checks that come later.</summary>
    public IReadOnlyDictionary<string, (string Value, int Line)> Keys { get; init; } = new Dictionary<string, (string Value, int Line)>();
}
