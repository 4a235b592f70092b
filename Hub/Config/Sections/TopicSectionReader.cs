using Hub.Config.Ini;
using Hub.Config.Values;

namespace Hub.Config.Sections;

/// <summary>Reads a topic section or <c>[failover]</c> (path R with quote stripping) into a <see cref="TopicSection"/>.</summary>
internal static class TopicSectionReader
{
    public const string FailoverName = "failover";

    // Keys that only ever name a function in mqttwarn.
    private static readonly HashSet<string> FunctionOnlyKeys = ["filter", "datamap", "alldata"];

    // [failover] receives internal events: these keys have no meaning there.
    private static readonly HashSet<string> IgnoredInFailover =
        ["topic", "qos", "filter", "timeout", "notify_only_on_timeout", "share", "no_local", "retain_as_published", "retain_handling"];

    /// <summary>The section, or null when it has no targets (a warning) and is therefore skipped.</summary>
    public static TopicSection? Read(IniSection section, DiagnosticBag diagnostics)
    {
        var reader = new OptionReader(diagnostics, section.Name);
        var isFailover = section.Name == FailoverName;
        var targetsEntry = section.Find("targets");
        if (targetsEntry is null || targetsEntry.Value.Trim().Length == 0)
        {
            var hint = section.Name.Equals(DefaultsReader.SectionName, StringComparison.OrdinalIgnoreCase)
                ? " (section names are case-sensitive: did you mean [defaults]?)"
                : "";
            reader.Warning(section.Line, $"Section `{section.Name}' has no targets defined{hint}");
            return null;
        }

        var values = section.Entries.ToDictionary(e => e.Key, e => QuoteStripping.Strip(e.Value));
        CheckFunctionsAndTemplates(section, values, isFailover, reader);
        var targets = TargetSpecReader.Read(targetsEntry, values["targets"], reader);
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        var failover = new List<string>();
        TimeSpan? dedup = null;
        var overrides = new Dictionary<string, TargetOverride>(StringComparer.Ordinal);
        int? qos = null, timeout = null, retainHandling = null;
        bool? notifyOnlyOnTimeout = null, noLocal = null, retainAsPublished = null;
        string? share = null;
        foreach (var entry in section.Entries)
        {
            var value = values[entry.Key];
            if (isFailover && IgnoredInFailover.Contains(entry.Key))
            {
                continue;
            }

            switch (entry.Key)
            {
                case "qos": qos = reader.Int(entry, value, 0, 2); break;
                case "share": share = ShareName(entry, value, reader); break;
                case "no_local": noLocal = reader.Bool(entry, value); break;
                case "retain_as_published": retainAsPublished = reader.Bool(entry, value); break;
                case "retain_handling": retainHandling = reader.Int(entry, value, 0, 2); break;
                case "timeout": timeout = reader.Int(entry, value, 1, int.MaxValue); break;
                case "notify_only_on_timeout": notifyOnlyOnTimeout = reader.Bool(entry, value); break;
                case "topic":
                    if (value.Trim().Length == 0)
                    {
                        reader.Error(entry.Line, "'topic' must not be empty");
                    }

                    break;
                case "targets" or "format" or "title" or "priority" or "image" or "template" or "filter" or "datamap" or "alldata":
                    break;
                case "failover":
                    failover = References(entry, value, reader);
                    break;
                case "dedup":
                    dedup = reader.Duration(entry, value);
                    break;
                case var key when key.StartsWith("format.", StringComparison.Ordinal) || key.StartsWith("title.", StringComparison.Ordinal):
                    Override(entry, value, overrides, reader);
                    break;
                default: extra[entry.Key] = value; break;
            }
        }

        string? Get(string key) => isFailover && IgnoredInFailover.Contains(key) ? null : values.GetValueOrDefault(key);
        return new TopicSection
        {
            Name = section.Name,
            Topic = isFailover ? FailoverName : Get("topic") ?? section.Name,
            Qos = qos ?? 0,
            Share = share,
            NoLocal = noLocal,
            RetainAsPublished = retainAsPublished,
            RetainHandling = retainHandling,
            Targets = targets ?? new TargetList([]),
            Format = Get("format"),
            Title = Get("title"),
            Priority = Get("priority"),
            Image = Get("image"),
            Template = Get("template")?.Trim(),
            Filter = Get("filter"),
            Datamap = Get("datamap"),
            Alldata = Get("alldata"),
            Timeout = timeout,
            NotifyOnlyOnTimeout = notifyOnlyOnTimeout ?? false,
            Extra = extra,
            Failover = failover,
            Dedup = dedup,
            Overrides = overrides,
            KeyLines = section.Entries.ToDictionary(e => e.Key, e => e.Line, StringComparer.Ordinal),
            Location = new SourceLocation(diagnostics.File, section.Line),
            TargetsLocation = new SourceLocation(diagnostics.File, targetsEntry.Line),
        };
    }

    /// <summary>A share name is non-empty and holds no <c>/</c>, <c>+</c> or <c>#</c> (MQTT 5.0 §4.8.2).</summary>
    private static string? ShareName(IniEntry entry, string value, OptionReader reader)
    {
        var name = value.Trim();
        if (name.Length == 0 || name.AsSpan().IndexOfAny("/+#") >= 0)
        {
            reader.Error(entry.Line, $"'share' must be a group name without '/', '+' or '#', not '{name}'");
            return null;
        }

        return name;
    }

    private static List<string> References(IniEntry entry, string value, OptionReader reader)
    {
        var references = value.Trim().TrimStart('[').TrimEnd(']')
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(r => r.Trim('\'', '"')).ToList();
        if (references.Count == 0 || references.Any(r => r.Length == 0 || r.Split(':').Length > 2))
        {
            reader.Error(entry.Line, $"'failover' must list SERVICE or SERVICE:TARGET references, not '{value.Trim()}'");
            return [];
        }

        return references;
    }

    private static void Override(IniEntry entry, string value, Dictionary<string, TargetOverride> overrides, OptionReader reader)
    {
        // format.SERVICE or format.SERVICE.TARGET (a key cannot hold ':', the INI format's other delimiter).
        var parts = entry.Key.Split('.', 3);
        var kind = parts[0];
        if (parts.Any(p => p.Length == 0) || parts.Length < 2)
        {
            reader.Error(entry.Line, $"'{entry.Key}' must be {kind}.SERVICE or {kind}.SERVICE.TARGET");
            return;
        }

        var reference = parts.Length == 2 ? parts[1] : $"{parts[1]}:{parts[2]}";
        var current = overrides.GetValueOrDefault(reference) ?? new TargetOverride(null, null);
        overrides[reference] = kind == "format" ? current with { Format = value } : current with { Title = value };
    }

    private static void CheckFunctionsAndTemplates(IniSection section, Dictionary<string, string> values, bool isFailover, OptionReader reader)
    {
        foreach (var entry in section.Entries.Where(e => !(isFailover && IgnoredInFailover.Contains(e.Key))))
        {
            var value = values[entry.Key];
            if (entry.Key == "template" && value.Trim().Length == 0)
            {
                reader.Error(entry.Line, "'template' must name a file in templates/");
            }
            else if (FunctionOnlyKeys.Contains(entry.Key) && !FunctionReference.TryMatch(value, out _))
            {
                reader.Error(entry.Line, $"'{entry.Key}' must name a user function, like {entry.Key}_function()");
            }
        }
    }
}
