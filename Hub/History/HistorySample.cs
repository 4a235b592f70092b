namespace Hub.History;

/// <summary>One step of a range query: the step's start and the aggregate of its points.</summary>
/// <param name="Timestamp">The step's start, milliseconds since the Unix epoch (steps are aligned to multiples of the step).</param>
/// <param name="Value">The aggregate.</param>
public readonly record struct HistorySample(long Timestamp, double Value)
{
    /// <summary>The step's start.</summary>
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(Timestamp);
}
