namespace Hub.Analytics;

/// <summary>The state of one rule's key; published in lower case (<c>"state": "firing"</c>).</summary>
internal enum AlarmState
{
    Normal,
    Pending,
    Firing,
    Recovering,
    NoData,
    Error,
}
