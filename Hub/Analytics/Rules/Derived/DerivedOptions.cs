namespace Hub.Analytics.Rules.Derived;

/// <summary>The settings of a rule's derived values (<c>window</c>, <c>ewma_alpha</c>, <c>deadband</c>); docs/rules.md lists them.</summary>
internal sealed record DerivedOptions
{
    /// <summary>The most samples a rolling window keeps per key, whatever its span: the bound on its memory.</summary>
    public const int MaxWindowSamples = 1000;

    /// <summary><c>window = 5m</c>: the span of the rolling values (mean, min, max, stdev, count, pNN, zscore); null when counted.</summary>
    public TimeSpan? WindowSpan { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>window = 100</c>: the rolling values over the last N samples instead of a time span.</summary>
    public int? WindowCount { get; init; }

    /// <summary><c>ewma_alpha = 0.3</c>: the weight of the newest sample in <c>ewma</c>.</summary>
    public double EwmaAlpha { get; init; } = 0.3;

    /// <summary><c>deadband = 0</c>: <c>changed</c> is true when the value moved more than this from the last value it reported.</summary>
    public double Deadband { get; init; }
}
