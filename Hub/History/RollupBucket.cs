namespace Hub.History;

/// <summary>The running aggregate of one series in one rollup bucket, within one batch.</summary>
internal sealed class RollupBucket(double value, long timestamp)
{
    public double Min { get; private set; } = value;
    public double Max { get; private set; } = value;
    public double Sum { get; private set; } = value;
    public long Count { get; private set; } = 1;
    public double Last { get; private set; } = value;
    public long LastTimestamp { get; private set; } = timestamp;

    public void Add(double value, long timestamp)
    {
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
        Sum += value;
        Count++;
        if (timestamp >= LastTimestamp)
        {
            (Last, LastTimestamp) = (value, timestamp);
        }
    }
}
