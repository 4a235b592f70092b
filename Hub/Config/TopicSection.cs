namespace Hub.Config;

/// <summary>A topic section (or <c>[failover]</c>): what to do with messages matching <see cref="Topic"/>.</summary>
public sealed class TopicSection
{
    /// <summary>The section name.</summary>
    public required string Name { get; init; }
    /// <summary>The subscription filter (<c>topic =</c>, default the section name).</summary>
    public required string Topic { get; init; }
    public int Qos { get; init; }
    /// <summary><c>share = GROUP</c>: subscribe as <c>$share/GROUP/TOPIC</c> (the broker spreads messages over the group's members).</summary>
    public string? Share { get; init; }
    /// <summary>MQTT 5.0 subscription options (<c>no_local</c>, <c>retain_as_published</c>, <c>retain_handling</c>); null when not set.</summary>
    public bool? NoLocal { get; init; }
    public bool? RetainAsPublished { get; init; }
    public int? RetainHandling { get; init; }
    /// <summary>The filter subscribed to: <see cref="Topic"/>, or <c>$share/GROUP/TOPIC</c> with <see cref="Share"/>.</summary>
    public string SubscriptionFilter => Share is null ? Topic : $"$share/{Share}/{Topic}";
    public required TargetSpec Targets { get; init; }
    /// <summary>Raw values after quote stripping; null when absent. A value like <c>name()</c> is a function reference.</summary>
    public string? Format { get; init; }
    public string? Title { get; init; }
    public string? Priority { get; init; }
    public string? Image { get; init; }
    public string? Template { get; init; }
    public string? Filter { get; init; }
    public string? Datamap { get; init; }
    public string? Alldata { get; init; }
    /// <summary>Watchdog seconds, or null.</summary>
    public int? Timeout { get; init; }
    public bool NotifyOnlyOnTimeout { get; init; }
    /// <summary><c>failover = SERVICE:TARGET, …</c>: where items of this route go when a target gives up on them (wins over the target's own).</summary>
    public IReadOnlyList<string> Failover { get; init; } = [];
    /// <summary><c>dedup = 10m</c>: identical notifications of this route within the window are sent once per target.</summary>
    public TimeSpan? Dedup { get; init; }
    /// <summary><c>format.SERVICE[.TARGET] =</c> and <c>title.…</c>: per-target renderings, keyed by <c>SERVICE</c> or <c>SERVICE:TARGET</c>.</summary>
    public IReadOnlyDictionary<string, TargetOverride> Overrides { get; init; } = new Dictionary<string, TargetOverride>();
    /// <summary>The line of each key, for errors found after loading (user functions, templates).</summary>
    public IReadOnlyDictionary<string, int> KeyLines { get; init; } = new Dictionary<string, int>();
    /// <summary>Every other key (raw text), for user functions.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
    public required SourceLocation Location { get; init; }
    /// <summary>Where <c>targets =</c> is written (null for sections built in code).</summary>
    public SourceLocation? TargetsLocation { get; init; }
}

/// <summary>A route's own <c>format</c>/<c>title</c> for one service or target (null: the route's).</summary>
public sealed record TargetOverride(string? Format, string? Title);
