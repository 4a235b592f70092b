using System.Globalization;
using System.Text;
using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace Hub.History;

/// <summary>
/// Raw points to and from files: CSV and JSON Lines (<c>time,topic,field,value,tags</c>; time as ISO 8601 UTC or
/// milliseconds since the epoch) and Parquet (export only; columns time, topic, field, value, tags) for pandas.
/// </summary>
internal static class HistoryFiles
{
    private const int RowGroupSize = 100_000;
    private const string CsvHeader = "time,topic,field,value,tags";

    public static long WriteCsv(IEnumerable<HistoryPoint> points, TextWriter output)
    {
        output.WriteLine(CsvHeader);
        var count = 0L;
        foreach (var p in points)
        {
            output.Write(Time(p.Timestamp));
            output.Write(',');
            output.Write(CsvField(p.Topic));
            output.Write(',');
            output.Write(CsvField(p.Field));
            output.Write(',');
            output.Write(p.Value.ToString("R", CultureInfo.InvariantCulture));
            output.Write(',');
            output.WriteLine(CsvField(p.Tags));
            count++;
        }

        return count;
    }

    public static long WriteJsonLines(IEnumerable<HistoryPoint> points, TextWriter output)
    {
        var count = 0L;
        foreach (var p in points)
        {
            var line = new Dictionary<string, object> { ["time"] = Time(p.Timestamp), ["topic"] = p.Topic, ["field"] = p.Field, ["value"] = p.Value };
            if (p.Tags.Length > 0)
            {
                line["tags"] = JsonDocument.Parse(p.Tags).RootElement;
            }

            output.WriteLine(JsonSerializer.Serialize(line));
            count++;
        }

        return count;
    }

    public static async Task<long> WriteParquetAsync(IEnumerable<HistoryPoint> points, Stream output, CancellationToken cancellationToken)
    {
        var time = new DateTimeDataField("time", DateTimeFormat.DateAndTime, true, DateTimeTimeUnit.Millis);
        var (topic, field, value, tags) = (new DataField<string>("topic"), new DataField<string>("field"), new DataField<double>("value"), new DataField<string>("tags"));
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(time, topic, field, value, tags), output, cancellationToken: cancellationToken).ConfigureAwait(false);
        var count = 0L;
        foreach (var chunk in points.Chunk(RowGroupSize))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<DateTime>(time, new ReadOnlyMemory<DateTime>(chunk.Select(p => DateTimeOffset.FromUnixTimeMilliseconds(p.Timestamp).UtcDateTime).ToArray()), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(topic, chunk.Select(p => p.Topic).ToArray()).ConfigureAwait(false);
            await group.WriteAsync(field, chunk.Select(p => p.Field).ToArray()).ConfigureAwait(false);
            await group.WriteAsync<double>(value, new ReadOnlyMemory<double>(chunk.Select(p => p.Value).ToArray()), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(tags, chunk.Select(p => p.Tags).ToArray()).ConfigureAwait(false);
            count += chunk.Length;
        }

        return count;
    }

    /// <summary>Reads a CSV (header line first, columns in any order) or JSON Lines file; a bad line is reported to <paramref name="problems"/> as LINE: reason and skipped.</summary>
    public static IEnumerable<HistoryPoint> Read(string path, List<string> problems)
    {
        var json = path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        using var reader = new StreamReader(path, Encoding.UTF8);
        var lineNumber = 0;
        string[]? header = null;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            HistoryPoint? point;
            string? problem;
            if (json)
            {
                point = FromJson(line, out problem);
            }
            else if (header is null)
            {
                header = CsvSplit(line).Select(h => h.Trim().ToLowerInvariant()).ToArray();
                problem = new[] { "time", "topic", "value" }.FirstOrDefault(c => !header.Contains(c)) is { } missing ? $"the header has no '{missing}' column" : null;
                if (problem is not null)
                {
                    problems.Add($"{path}:{lineNumber}: {problem}");
                    yield break;
                }

                continue;
            }
            else
            {
                point = FromCsv(header, CsvSplit(line), out problem);
            }

            if (point is null)
            {
                problems.Add($"{path}:{lineNumber}: {problem}");
                continue;
            }

            yield return point;
        }
    }

    private static HistoryPoint? FromCsv(string[] header, List<string> cells, out string? problem)
    {
        string Cell(string name) => Array.IndexOf(header, name) is var i and >= 0 && i < cells.Count ? cells[i] : "";
        return Point(Cell("time"), Cell("topic"), Cell("field"), Cell("value"), Cell("tags"), out problem);
    }

    private static HistoryPoint? FromJson(string line, out string? problem)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            string Text(string name) => root.TryGetProperty(name, out var e)
                ? e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()
                : "";
            return Point(Text("time"), Text("topic"), Text("field"), Text("value"), Text("tags"), out problem);
        }
        catch (JsonException ex)
        {
            problem = $"not JSON: {ex.Message}";
            return null;
        }
    }

    private static HistoryPoint? Point(string time, string topic, string field, string value, string tags, out string? problem)
    {
        problem = null;
        if (!TryTime(time, out var ts))
        {
            problem = $"'{time}' is not a time (ISO 8601, or milliseconds since the epoch)";
        }
        else if (topic.Length == 0 || topic.Contains('#', StringComparison.Ordinal) || topic.Contains('+', StringComparison.Ordinal))
        {
            problem = $"'{topic}' is not a topic name";
        }
        else if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
        {
            problem = $"'{value}' is not a number";
        }
        else
        {
            return new HistoryPoint(topic, field.Length == 0 ? "value" : field, tags, ts, number);
        }

        return null;
    }

    private static bool TryTime(string text, out long timestamp)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out timestamp))
        {
            return true;
        }

        var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time);
        timestamp = ok ? time.ToUnixTimeMilliseconds() : 0;
        return ok;
    }

    public static string Time(long timestamp) =>
        DateTimeOffset.FromUnixTimeMilliseconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string CsvField(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;

    /// <summary>One CSV record of one line (RFC 4180 quoting; values with line breaks are not supported).</summary>
    private static List<string> CsvSplit(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
