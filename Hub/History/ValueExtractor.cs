using System.Globalization;
using System.Text;
using System.Text.Json;
using Hub.Formatting;

namespace Hub.History;

/// <summary>Turns one message into the points a rule records (on the writer's thread, never on the message path).</summary>
internal static class ValueExtractor
{
    /// <summary>Adds the rule's points of this message to <paramref name="output"/>; returns false when the payload holds no value the rule wants.</summary>
    public static bool Extract(HistoryRule rule, string topic, byte[] payload, long timestamp, List<HistoryPoint> output)
    {
        if (rule.Kind == HistoryValueKind.Format)
        {
            return ExtractFormatted(rule, topic, payload, timestamp, output);
        }

        JsonDocument? document = null;
        try
        {
            if (rule.Kind != HistoryValueKind.Payload || rule.Tags.Any(t => t.PayloadPath is not null))
            {
                document = TryParse(payload);
                if (document is null && rule.Kind != HistoryValueKind.Payload)
                {
                    return false;
                }
            }

            var tags = Tags(rule, topic, document?.RootElement);
            switch (rule.Kind)
            {
                case HistoryValueKind.Payload:
                    if (!TryNumber(payload, out var number))
                    {
                        return false;
                    }

                    output.Add(new HistoryPoint(topic, rule.Field, tags, timestamp, number));
                    return true;
                case HistoryValueKind.Field:
                    if (Resolve(document!.RootElement, rule.Expression) is { } element && TryNumber(element, out var value))
                    {
                        output.Add(new HistoryPoint(topic, rule.Field, tags, timestamp, value));
                        return true;
                    }

                    return false;
                default:
                    var before = output.Count;
                    AddNumericFields(document!.RootElement, "", topic, tags, timestamp, output);
                    return output.Count > before;
            }
        }
        finally
        {
            document?.Dispose();
        }
    }

    private static bool ExtractFormatted(HistoryRule rule, string topic, byte[] payload, long timestamp, List<HistoryPoint> output)
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal) { ["topic"] = topic, ["payload"] = Encoding.UTF8.GetString(payload) };
        foreach (var (key, value) in JsonData.TryParseObject(payload) ?? new Dictionary<string, object?>())
        {
            data[key] = value;
        }

        if (!PyFormatter.Instance.TryFormat(rule.Expression, data, out var text, out _)
            || !double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
        {
            return false;
        }

        using var document = rule.Tags.Any(t => t.PayloadPath is not null) ? TryParse(payload) : null;
        output.Add(new HistoryPoint(topic, rule.Field, Tags(rule, topic, document?.RootElement), timestamp, number));
        return true;
    }

    private static void AddNumericFields(JsonElement element, string prefix, string topic, string tags, long timestamp, List<HistoryPoint> output)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            var name = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                AddNumericFields(property.Value, name, topic, tags, timestamp, output);
            }
            else if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetDouble(out var value) && double.IsFinite(value))
            {
                output.Add(new HistoryPoint(topic, name, tags, timestamp, value));
            }
        }
    }

    /// <summary>The tags as a JSON object with keys in rule order; a tag whose source is missing is left out.</summary>
    private static string Tags(HistoryRule rule, string topic, JsonElement? root)
    {
        if (rule.Tags.Count == 0)
        {
            return "";
        }

        var levels = topic.Split('/');
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var tag in rule.Tags)
            {
                var value = tag.TopicLevel is { } level
                    ? (level < levels.Length ? levels[level] : null)
                    : root is { } r && Resolve(r, tag.PayloadPath!) is { } element
                        ? element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText()
                        : null;
                if (value is not null)
                {
                    writer.WriteString(tag.Name, value);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A dotted path; a number part indexes an array (<c>sensors.0.temp</c>).</summary>
    private static JsonElement? Resolve(JsonElement root, string path)
    {
        var current = root;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(part, out var child))
            {
                current = child;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>A JSON number, or a string or boolean that reads as one (<c>"21.5"</c>, <c>true</c> = 1).</summary>
    private static bool TryNumber(JsonElement element, out double value)
    {
        value = 0;
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                return element.TryGetDouble(out value) && double.IsFinite(value);
            case JsonValueKind.String:
                return double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
            case JsonValueKind.True:
                value = 1;
                return true;
            case JsonValueKind.False:
                return true;
            default:
                return false;
        }
    }

    private static bool TryNumber(byte[] payload, out double value)
    {
        var text = Encoding.UTF8.GetString(payload).Trim();
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    private static JsonDocument? TryParse(byte[] payload)
    {
        try
        {
            return JsonDocument.Parse(payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
