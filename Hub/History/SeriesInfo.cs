namespace Hub.History;

/// <summary>One series of the history, with its latest point.</summary>
/// <param name="Id">The series id in the store.</param>
/// <param name="Topic">The message topic.</param>
/// <param name="Field">The value's field name.</param>
/// <param name="Tags">The tags as a JSON object text, or an empty string.</param>
/// <param name="LastTimestamp">The latest point's time, milliseconds since the Unix epoch.</param>
/// <param name="LastValue">The latest point's value.</param>
public sealed record SeriesInfo(long Id, string Topic, string Field, string Tags, long LastTimestamp, double LastValue)
{
    /// <summary>The series name, <c>TOPIC#FIELD</c> (a topic name never holds <c>#</c>).</summary>
    public string Name => NameOf(Topic, Field);

    /// <summary>The latest point's time.</summary>
    public DateTimeOffset LastTime => DateTimeOffset.FromUnixTimeMilliseconds(LastTimestamp);

    /// <summary>The series name of a topic and field.</summary>
    public static string NameOf(string topic, string field) => $"{topic}#{field}";
}
