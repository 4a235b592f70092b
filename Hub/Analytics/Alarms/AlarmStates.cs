namespace Hub.Analytics.Alarms;

/// <summary>The published names of <see cref="AlarmState"/> (lower case) and back.</summary>
internal static class AlarmStates
{
    public static string Name(AlarmState state) => state switch
    {
        AlarmState.Normal => "normal",
        AlarmState.Pending => "pending",
        AlarmState.Firing => "firing",
        AlarmState.Recovering => "recovering",
        AlarmState.NoData => "nodata",
        _ => "error",
    };

    public static AlarmState Parse(string name) => name switch
    {
        "pending" => AlarmState.Pending,
        "firing" => AlarmState.Firing,
        "recovering" => AlarmState.Recovering,
        "nodata" => AlarmState.NoData,
        "error" => AlarmState.Error,
        _ => AlarmState.Normal,
    };
}
