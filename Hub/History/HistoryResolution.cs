namespace Hub.History;

/// <summary>The table a range query reads: raw points or one of the rollups.</summary>
public enum HistoryResolution
{
    /// <summary>Chosen by the query: the coarsest table whose resolution fits the step and whose retention covers the range.</summary>
    Auto,

    /// <summary>Raw points.</summary>
    Raw,

    /// <summary>1-minute rollups.</summary>
    OneMinute,

    /// <summary>1-hour rollups.</summary>
    OneHour,
}
