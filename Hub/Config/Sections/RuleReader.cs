using System.Globalization;
using Hub.Analytics;
using Hub.Analytics.Rules;
using Hub.Analytics.Rules.Derived;
using Hub.Config.Ini;
using Hub.Config.Values;
using Hub.Formatting;
using Hub.Mqtt;

namespace Hub.Config.Sections;

/// <summary>
/// Reads the <c>[rule:NAME]</c> sections (docs/rules.md) into <see cref="RuleSection"/>s: the rule's options, its
/// alarm policy and its <c>targets</c> (read as a topic section's). mqttwarn skips these sections, so one file serves
/// both. Every expression is compiled here, so a bad one is a <c>FILE:LINE</c> error of <c>hub check</c>; unknown keys
/// are warnings.
/// </summary>
internal static class RuleReader
{
    public const string Prefix = "rule:";

    /// <summary>The keys of what a rule evaluates.</summary>
    public static readonly IReadOnlySet<string> RuleKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "topic", "value", "key", "when", "recover", "time", "targets", "window", "ewma_alpha", "deadband",
    };

    /// <summary>The keys of the alarm lifecycle (<see cref="AlarmPolicy"/>; the lifecycle reads further ones from <see cref="AlarmPolicy.Keys"/>).</summary>
    public static readonly IReadOnlySet<string> LifecycleKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "for", "clear_for", "severity", "summary", "description", "labels", "repeat", "expect_every", "group_by", "group_wait", "group_interval",
        "flapping", "flap_low", "flap_high", "ack_expire", "inhibit", "inhibit_equal", "correlate_window", "correlate_min",
    };

    public static bool Owns(string sectionName) => sectionName.StartsWith(Prefix, StringComparison.Ordinal);

    public static List<RuleSection> Read(IniDocument document, DiagnosticBag diagnostics) =>
        document.Sections.Where(s => Owns(s.Name)).Select(s => Read(s, diagnostics)).OfType<RuleSection>().ToList();

    /// <summary>The rule, or null when the section has errors (all of them reported).</summary>
    public static RuleSection? Read(IniSection section, DiagnosticBag diagnostics)
    {
        var reader = new OptionReader(diagnostics, section.Name);
        var errors = diagnostics.ToList().Count(d => d.IsError);
        var name = section.Name[Prefix.Length..].Trim();
        if (name.Length == 0)
        {
            reader.Error(section.Line, "A rule needs a name: [rule:NAME]");
        }

        var keys = section.Entries.ToDictionary(e => e.Key, e => (Value(e), e.Line), StringComparer.Ordinal);
        string? Text(string key) => keys.TryGetValue(key, out var v) && v.Item1.Length > 0 ? v.Item1 : null;
        var derived = new DerivedOptions();
        var alarm = new AlarmPolicy();
        TargetSpec? targets = null;
        foreach (var entry in section.Entries)
        {
            var text = Value(entry);
            switch (entry.Key)
            {
                case "topic" or "value" or "when" or "recover":
                    break;
                case "key" or "time":
                    FormatString(entry, text, reader);
                    break;
                case "targets":
                    targets = text.Length == 0 ? null : TargetSpecReader.Read(entry, text, reader);
                    break;
                case "window":
                    derived = Window(entry, text, derived, reader);
                    break;
                case "ewma_alpha":
                    derived = derived with { EwmaAlpha = Number(entry, text, reader, min: 0, max: 1, exclusiveMin: true) ?? derived.EwmaAlpha };
                    break;
                case "deadband":
                    derived = derived with { Deadband = Number(entry, text, reader, min: 0, max: double.MaxValue, exclusiveMin: false) ?? derived.Deadband };
                    break;
                case "for": alarm = alarm with { For = DurationOrZero(entry, text, reader) ?? alarm.For }; break;
                case "clear_for": alarm = alarm with { ClearFor = DurationOrZero(entry, text, reader) ?? alarm.ClearFor }; break;
                case "repeat": alarm = alarm with { Repeat = reader.Duration(entry, text) }; break;
                case "expect_every": alarm = alarm with { ExpectEvery = reader.Duration(entry, text) }; break;
                case "group_wait": alarm = alarm with { GroupWait = DurationOrZero(entry, text, reader) ?? alarm.GroupWait }; break;
                case "group_interval": alarm = alarm with { GroupInterval = reader.Duration(entry, text) ?? alarm.GroupInterval }; break;
                case "group_by": alarm = alarm with { GroupBy = reader.StringList(entry, PythonLiteral.ParseOrText(text)) ?? [] }; break;
                case "severity": alarm = alarm with { Severity = text.Length == 0 ? alarm.Severity : text }; break;
                case "summary": alarm = alarm with { Summary = FormatString(entry, text, reader) }; break;
                case "description": alarm = alarm with { Description = FormatString(entry, text, reader) }; break;
                case "labels": alarm = alarm with { Labels = Labels(entry, text, reader) }; break;
                default:
                    reader.Warning(entry.Line, $"Unknown key '{entry.Key}' in [{section.Name}] is ignored (known: {string.Join(", ", RuleKeys.Concat(LifecycleKeys))})");
                    break;
            }
        }

        var topic = Text("topic");
        if (topic is null)
        {
            reader.Error(section.Line, $"[{section.Name}] needs 'topic =' (the topic filter of the messages it evaluates)");
        }
        else if (!TopicFilter.IsValid(topic, out var reason))
        {
            reader.Error(keys["topic"].Line, $"'{topic}' is not a valid topic filter: {reason}");
        }

        if (Text("when") is null)
        {
            reader.Error(keys.TryGetValue("when", out var w) ? w.Line : section.Line, $"[{section.Name}] needs 'when =' (the condition that fires the alarm)");
        }

        var options = new RuleOptions
        {
            Name = name,
            File = diagnostics.File,
            Line = section.Line,
            Topic = topic ?? "",
            Value = Text("value"),
            Key = Text("key") ?? "{topic}",
            When = Text("when") ?? "",
            Recover = Text("recover"),
            Time = Text("time"),
            Derived = derived,
            Alarm = AlarmPolicyKeys.Read(alarm, keys, section.Name, diagnostics) with { Keys = keys.Where(k => LifecycleKeys.Contains(k.Key) || !RuleKeys.Contains(k.Key)).ToDictionary() },
            Keys = keys,
        };
        if (options.When.Length > 0)
        {
            var problems = new List<RuleProblem>();
            RuleCompiler.Compile(options, problems, compile: false);
            foreach (var problem in problems)
            {
                reader.Error(keys.TryGetValue(problem.Key, out var at) ? at.Line : section.Line, problem.Message);
            }
        }

        return diagnostics.ToList().Count(d => d.IsError) > errors ? null : new RuleSection { Options = options, Targets = targets, Route = Route(section, options, targets, diagnostics.File) };
    }

    private static TopicSection? Route(IniSection section, RuleOptions options, TargetSpec? targets, string file) => targets is null ? null : new TopicSection
    {
        Name = section.Name,
        Topic = options.Topic,
        Targets = targets,
        // Alarm notifications arrive as JSON (alarm_title, alarm_message, kind, rule, key, severity, count): AlarmService.
        Title = "{alarm_title}",
        Format = "{alarm_message}",
        KeyLines = options.Keys.ToDictionary(k => k.Key, k => k.Value.Line, StringComparer.Ordinal),
        Location = new SourceLocation(file, section.Line),
        TargetsLocation = new SourceLocation(file, options.Keys["targets"].Line),
    };

    /// <summary><c>window = 5m</c> (a span) or <c>window = 100</c> (samples).</summary>
    private static DerivedOptions Window(IniEntry entry, string text, DerivedOptions derived, OptionReader reader)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            if (count is >= 2 and <= DerivedOptions.MaxWindowSamples)
            {
                return derived with { WindowCount = count, WindowSpan = null };
            }

            reader.Error(entry.Line, $"'window' must be a count from 2 to {DerivedOptions.MaxWindowSamples} samples or a duration such as 5m, not '{text}'");
            return derived;
        }

        return reader.Duration(entry, text) is { } span ? derived with { WindowSpan = span, WindowCount = null } : derived;
    }

    private static double? Number(IniEntry entry, string text, OptionReader reader, double min, double max, bool exclusiveMin)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && (exclusiveMin ? number > min : number >= min) && number <= max)
        {
            return number;
        }

        reader.Error(entry.Line, max < double.MaxValue
            ? $"'{entry.Key}' must be a number {(exclusiveMin ? "above" : "from")} {min} to {max}, not '{text}'"
            : $"'{entry.Key}' must be a number of at least {min}, not '{text}'");
        return null;
    }

    /// <summary><c>0</c> is allowed (at once), else a duration.</summary>
    private static TimeSpan? DurationOrZero(IniEntry entry, string text, OptionReader reader) =>
        text is "0" or "0s" ? TimeSpan.Zero : reader.Duration(entry, text);

    private static string? FormatString(IniEntry entry, string text, OptionReader reader)
    {
        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            PyFormatter.Instance.Validate(text);
        }
        catch (FormatException ex)
        {
            reader.Error(entry.Line, $"'{entry.Key}' is not a valid format string: {ex.Message}");
        }

        return text;
    }

    /// <summary><c>{'site': 'north', 'room': '{room}'}</c> or <c>site=north, room={room}</c>.</summary>
    private static Dictionary<string, string> Labels(IniEntry entry, string text, OptionReader reader)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text.StartsWith('{') && PythonLiteral.TryParse(text, out var literal) && literal is OrderedDictionary<string, object?> dict)
        {
            foreach (var (label, value) in dict)
            {
                labels[label] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            }
        }
        else
        {
            foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = item.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    reader.Error(entry.Line, $"'labels' is a dict ({{'site': 'north'}}) or NAME=VALUE pairs, not '{item}'");
                    continue;
                }

                labels[item[..equals].Trim()] = item[(equals + 1)..].Trim();
            }
        }

        foreach (var value in labels.Values.Where(v => v.Contains('{', StringComparison.Ordinal)))
        {
            FormatString(entry, value, reader);
        }

        return labels;
    }

    /// <summary>Inline <c>; comments</c> removed and quotes stripped, as in the hub's own sections.</summary>
    private static string Value(IniEntry entry) => QuoteStripping.Strip(InlineComments.Remove(entry.Value).Trim()).Trim();
}
