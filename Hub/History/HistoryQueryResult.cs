namespace Hub.History;

/// <summary>The answer of a range query: the samples, oldest first, and the table they were read from.</summary>
/// <param name="Resolution">The table read (never <see cref="HistoryResolution.Auto"/>).</param>
/// <param name="Samples">One sample per step that has points.</param>
public sealed record HistoryQueryResult(HistoryResolution Resolution, IReadOnlyList<HistorySample> Samples);
