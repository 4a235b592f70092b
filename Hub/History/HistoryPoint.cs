namespace Hub.History;

/// <summary>One raw point of a series: topic + field identify the series; tags describe it (a JSON object, or empty).</summary>
/// <param name="Topic">The message topic.</param>
/// <param name="Field">The value's field name (<c>value</c> for a plain number payload).</param>
/// <param name="Tags">The series' tags as a JSON object text, or an empty string.</param>
/// <param name="Timestamp">Milliseconds since the Unix epoch, UTC.</param>
/// <param name="Value">The value.</param>
public sealed record HistoryPoint(string Topic, string Field, string Tags, long Timestamp, double Value)
{
    /// <summary>The series name, <c>TOPIC#FIELD</c>.</summary>
    public string Series => SeriesInfo.NameOf(Topic, Field);
}
