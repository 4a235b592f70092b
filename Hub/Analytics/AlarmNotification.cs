namespace Hub.Analytics;

/// <summary>A message to the targets of <see cref="Rule"/>: one alarm, a group of them, a repeat, a resolution or a flapping notice.</summary>
/// <param name="Rule">The rule whose <c>targets</c> receive it.</param>
/// <param name="Title">The notification's title.</param>
/// <param name="Message">The notification's text.</param>
/// <param name="Severity">The highest severity among <paramref name="Alarms"/>.</param>
/// <param name="Alarms">The alarms it speaks of (one, or the members of a group).</param>
internal sealed record AlarmNotification(
    string Rule,
    string Title,
    string Message,
    string Severity,
    IReadOnlyList<AlarmTransition> Alarms)
{
    /// <summary><c>firing</c>, <c>nodata</c>, <c>error</c> (new alarms), <c>repeat</c>, <c>resolved</c> or <c>flapping</c>.</summary>
    public string Kind { get; init; } = "firing";
}
