namespace Hub.History;

/// <summary>How the points of one step of a range query are combined.</summary>
public enum HistoryAggregate
{
    /// <summary>The arithmetic mean.</summary>
    Mean,

    /// <summary>The smallest value.</summary>
    Min,

    /// <summary>The largest value.</summary>
    Max,

    /// <summary>The value with the latest timestamp.</summary>
    Last,

    /// <summary>The number of raw points.</summary>
    Count,
}
