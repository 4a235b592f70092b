using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Hub.Analytics.Alarms;

/// <summary>
/// The JSON object of a transition, as published on <c>alarms/RULE/KEY</c> and <c>alarms/events</c>, kept in the
/// alarm history and printed by <c>hub replay</c> (with <c>time</c>, the event time, first).
/// </summary>
internal static class AlarmJson
{
    public static string Transition(AlarmTransition transition, DateTimeOffset? time = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (time is { } at)
            {
                writer.WriteString("time", Iso(at));
            }

            writer.WriteString("rule", transition.Rule);
            writer.WriteString("key", transition.Key);
            writer.WriteString("state", AlarmStates.Name(transition.State));
            writer.WriteString("previous", AlarmStates.Name(transition.Previous));
            writer.WriteString("severity", transition.Severity);
            if (transition.Value is { } value && double.IsFinite(value))
            {
                writer.WriteNumber("value", value);
            }
            else
            {
                writer.WriteNull("value");
            }

            writer.WriteString("since", Iso(transition.Since));
            if (transition.Summary is null)
            {
                writer.WriteNull("summary");
            }
            else
            {
                writer.WriteString("summary", transition.Summary);
            }

            writer.WriteStartObject("labels");
            foreach (var (name, text) in transition.Labels)
            {
                writer.WriteString(name, text);
            }

            writer.WriteEndObject();
            writer.WriteBoolean("flapping", transition.Flapping);
            writer.WriteBoolean("acknowledged", transition.Acknowledged);
            writer.WriteBoolean("muted", transition.Muted);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>ISO 8601 in UTC with milliseconds (<c>2026-01-01T00:00:00.000Z</c>).</summary>
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Labels as a JSON object (for the store).</summary>
    public static string Labels(IReadOnlyDictionary<string, string> labels) => JsonSerializer.Serialize(labels);

    public static IReadOnlyDictionary<string, string> ParseLabels(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}
