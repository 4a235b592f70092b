using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Hub.Cli;

/// <summary>
/// Reads the data of <c>hub replay</c>: JSON Lines (<c>{"ts": ..., "topic": ..., "payload": {...}}</c>; the payload an
/// object, a string or a number) or CSV (<c>timestamp,value</c> with <c>--topic</c>, else <c>timestamp,topic,value</c>;
/// a header line is skipped; fields may be quoted). Timestamps are ISO 8601 (UTC unless they say otherwise) or epoch
/// seconds (fractions allowed). A line that cannot be read is reported as <c>FILE:LINE: reason</c> and skipped.
/// </summary>
internal static class ReplayData
{
    public static IEnumerable<ReplayRecord> Read(string path, string? topic, Action<string> problem)
    {
        var jsonLines = path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (number == 1 && !jsonLines && line[0] == '{')
            {
                jsonLines = true;
            }

            var record = jsonLines ? Json(line, number, topic, out var error) : Csv(line, number, topic, out error);
            if (record is not null)
            {
                yield return record;
            }
            else if (error is not null)
            {
                problem($"{path}:{number}: {error}");
            }
        }
    }

    /// <summary>ISO 8601 or epoch seconds.</summary>
    public static bool TryParseTime(string text, out DateTimeOffset time)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
        {
            time = DateTimeOffset.UnixEpoch + TimeSpan.FromSeconds(seconds);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    private static ReplayRecord? Json(string line, int number, string? defaultTopic, out string? error)
    {
        error = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ts", out var ts))
            {
                error = "expected an object with \"ts\", \"topic\" and \"payload\"";
                return null;
            }

            var tsText = ts.ValueKind == JsonValueKind.String ? ts.GetString()! : ts.GetRawText();
            if (!TryParseTime(tsText, out var time))
            {
                error = $"\"ts\" {tsText} is not an ISO 8601 time or epoch seconds";
                return null;
            }

            var topic = root.TryGetProperty("topic", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : defaultTopic;
            if (topic is null)
            {
                error = "no \"topic\" (and no --topic)";
                return null;
            }

            var payload = !root.TryGetProperty("payload", out var p) ? ""
                : p.ValueKind == JsonValueKind.String ? p.GetString()! : p.GetRawText();
            return new ReplayRecord(time, topic, Encoding.UTF8.GetBytes(payload), number);
        }
        catch (JsonException ex)
        {
            error = $"not JSON: {ex.Message}";
            return null;
        }
    }

    private static ReplayRecord? Csv(string line, int number, string? topic, out string? error)
    {
        error = null;
        var fields = Split(line);
        var wanted = topic is null ? 3 : 2;
        if (fields.Count < wanted)
        {
            error = topic is null ? "expected timestamp,topic,value (or give --topic for timestamp,value)" : "expected timestamp,value";
            return null;
        }

        if (!TryParseTime(fields[0], out var time))
        {
            if (number == 1)
            {
                return null; // a header
            }

            error = $"'{fields[0]}' is not an ISO 8601 time or epoch seconds";
            return null;
        }

        var value = string.Join(",", fields.Skip(wanted - 1));
        return new ReplayRecord(time, topic ?? fields[1], Encoding.UTF8.GetBytes(value), number);
    }

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.ToString().Trim().Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString().Trim());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString().Trim());
        return fields;
    }
}
