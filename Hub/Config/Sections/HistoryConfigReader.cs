using System.Globalization;
using Hub.Config;
using Hub.Config.Ini;
using Hub.Config.Values;
using Hub.Formatting;
using Hub.History;
using Hub.Mqtt;

namespace Hub.Config.Sections;

/// <summary>
/// Reads <c>[history]</c> (the store's options) and the <c>[history:NAME]</c> record rules. mqttwarn skips these
/// sections (no <c>targets</c>), so one file serves both. Without any of them nothing is recorded (null).
/// </summary>
internal static class HistoryConfigReader
{
    public const string SectionName = "history";
    public const string RulePrefix = "history:";

    private static readonly HashSet<string> OptionKeys =
        ["enabled", "path", "retain_raw", "retain_1m", "retain_1h", "batch_size", "flush_interval", "queue_size", "maintenance_interval"];

    private static readonly HashSet<string> RuleKeys = ["topic", "value", "field", "tags"];

    /// <summary>True for the sections this reader owns (the topic-section reader skips them).</summary>
    public static bool Owns(string sectionName) =>
        sectionName == SectionName || sectionName.StartsWith(RulePrefix, StringComparison.Ordinal);

    /// <summary>The options when the sections are present and not disabled, else null; every problem goes to <paramref name="diagnostics"/>.</summary>
    public static HistoryOptions? Read(IniDocument document, DefaultsOptions defaults, string configDirectory, DiagnosticBag diagnostics)
    {
        var section = document.Find(SectionName);
        var ruleSections = document.Sections.Where(s => s.Name.StartsWith(RulePrefix, StringComparison.Ordinal)).ToList();
        if (section is null && ruleSections.Count == 0)
        {
            return null;
        }

        var options = new HistoryOptions { Path = HistoryOptions.DefaultPath(defaults.StateDirectory, configDirectory) };
        var enabled = true;
        var reader = new OptionReader(diagnostics, SectionName);
        foreach (var entry in section?.Entries ?? [])
        {
            var text = Value(entry);
            switch (entry.Key)
            {
                case "enabled": enabled = reader.Bool(entry, PythonLiteral.ParseOrText(text)) ?? enabled; break;
                case "path": options = options with { Path = text.Length == 0 ? options.Path : ConfigPaths.Resolve(text, configDirectory) }; break;
                case "retain_raw": options = options with { Retention = options.Retention with { Raw = Retention(entry, text, reader) ?? options.Retention.Raw } }; break;
                case "retain_1m": options = options with { Retention = options.Retention with { OneMinute = Retention(entry, text, reader) ?? options.Retention.OneMinute } }; break;
                case "retain_1h": options = options with { Retention = options.Retention with { OneHour = Retention(entry, text, reader) ?? options.Retention.OneHour } }; break;
                case "batch_size": options = options with { BatchSize = reader.Int(entry, PythonLiteral.ParseOrText(text), 1, 1_000_000) ?? options.BatchSize }; break;
                case "queue_size": options = options with { QueueSize = reader.Int(entry, PythonLiteral.ParseOrText(text), 1, 100_000_000) ?? options.QueueSize }; break;
                case "flush_interval": options = options with { FlushInterval = reader.Duration(entry, text) ?? options.FlushInterval }; break;
                case "maintenance_interval": options = options with { MaintenanceInterval = reader.Duration(entry, text) ?? options.MaintenanceInterval }; break;
                default:
                    reader.Warning(entry.Line, $"Unknown key '{entry.Key}' in [history] is ignored (known: {string.Join(", ", OptionKeys)})");
                    break;
            }
        }

        var rules = ruleSections.Select(s => ReadRule(s, diagnostics)).OfType<HistoryRule>().ToList();
        if (section is not null && rules.Count == 0 && enabled)
        {
            diagnostics.Warning(section.Line, SectionName, "[history] has no [history:NAME] sections, so nothing is recorded");
        }

        return enabled ? options with { Rules = rules } : null;
    }

    private static HistoryRule? ReadRule(IniSection section, DiagnosticBag diagnostics)
    {
        var name = section.Name[RulePrefix.Length..];
        var reader = new OptionReader(diagnostics, section.Name);
        var errors = diagnostics.ToList().Count(d => d.IsError);
        if (name.Length == 0)
        {
            reader.Error(section.Line, "A record rule needs a name: [history:NAME]");
        }

        string topic = name, field = "";
        var (kind, expression) = (HistoryValueKind.Payload, "");
        var tags = new List<HistoryTag>();
        foreach (var entry in section.Entries)
        {
            var text = Value(entry);
            switch (entry.Key)
            {
                case "topic":
                    topic = text;
                    break;
                case "field":
                    field = text;
                    if (text.Contains('#', StringComparison.Ordinal) || text.Length == 0)
                    {
                        reader.Error(entry.Line, $"'field' must be a non-empty name without '#', not '{text}'");
                    }

                    break;
                case "value":
                    (kind, expression) = ReadValue(entry, text, reader);
                    break;
                case "tags":
                    tags = ReadTags(entry, text, reader);
                    break;
                default:
                    reader.Warning(entry.Line, $"Unknown key '{entry.Key}' in [{section.Name}] is ignored (known: {string.Join(", ", RuleKeys)})");
                    break;
            }
        }

        var topicLine = section.Find("topic")?.Line ?? section.Line;
        if (!TopicFilter.IsValid(topic, out var reason) || topic.StartsWith("$share/", StringComparison.Ordinal))
        {
            reader.Error(topicLine, $"'{topic}' is not a topic filter to record: {reason ?? "a shared subscription cannot be recorded"}");
        }

        if (field.Length == 0)
        {
            field = kind switch { HistoryValueKind.Field => expression, HistoryValueKind.Format => name, _ => "value" };
        }

        return diagnostics.ToList().Count(d => d.IsError) > errors ? null
            : new HistoryRule { Name = name, Topic = topic, Kind = kind, Expression = expression, Field = field, Tags = tags };
    }

    private static (HistoryValueKind, string) ReadValue(IniEntry entry, string text, OptionReader reader)
    {
        if (text.Length == 0)
        {
            return (HistoryValueKind.Payload, "");
        }

        if (text == "*")
        {
            return (HistoryValueKind.AllNumeric, "");
        }

        if (text.Contains('{', StringComparison.Ordinal))
        {
            try
            {
                PyFormatter.Instance.Validate(text);
            }
            catch (FormatException ex)
            {
                reader.Error(entry.Line, $"'value' is not a valid format string: {ex.Message}");
            }

            return (HistoryValueKind.Format, text);
        }

        if (!IsPath(text))
        {
            reader.Error(entry.Line, $"'value' must be a JSON field path (temp, sensor.temp, list.0), '*' or a format string such as {{temp}}, not '{text}'");
        }

        return (HistoryValueKind.Field, text);
    }

    /// <summary><c>room=topic[1], unit=unit, id=sensor.id</c>.</summary>
    private static List<HistoryTag> ReadTags(IniEntry entry, string text, OptionReader reader)
    {
        var tags = new List<HistoryTag>();
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var (tagName, source) = equals > 0 ? (item[..equals].Trim(), item[(equals + 1)..].Trim()) : ("", "");
            if (tagName.Length == 0 || source.Length == 0)
            {
                reader.Error(entry.Line, $"A tag is NAME=topic[N] or NAME=FIELD, not '{item}'");
            }
            else if (source.StartsWith("topic[", StringComparison.Ordinal) && source.EndsWith(']')
                && int.TryParse(source[6..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var level))
            {
                tags.Add(new HistoryTag(tagName, level, null));
            }
            else if (IsPath(source))
            {
                tags.Add(new HistoryTag(tagName, null, source));
            }
            else
            {
                reader.Error(entry.Line, $"Tag '{tagName}': '{source}' is neither topic[N] (a topic level, from 0) nor a payload field path");
            }
        }

        return tags;
    }

    private static bool IsPath(string text) =>
        text.Split('.').All(part => part.Length > 0 && part.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '$' or '@'));

    /// <summary><c>7d</c>, <c>2w</c>, <c>5y</c> (365 days), or anything <see cref="OptionReader.Duration"/> takes.</summary>
    private static TimeSpan? Retention(IniEntry entry, string text, OptionReader reader)
    {
        var unit = text.Length > 1 ? char.ToLowerInvariant(text[^1]) : ' ';
        if (unit is 'w' or 'y' && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var count) && count > 0 && count < 1000)
        {
            return TimeSpan.FromDays(count * (unit == 'w' ? 7 : 365));
        }

        return reader.Duration(entry, text);
    }

    /// <summary>Inline <c>; comments</c> removed and quotes stripped, as in the hub's own sections.</summary>
    private static string Value(IniEntry entry) => QuoteStripping.Strip(InlineComments.Remove(entry.Value).Trim()).Trim();
}
