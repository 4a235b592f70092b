using Hub.Analytics.Jobs;
using Hub.Config.Ini;
using Hub.Config.Values;

namespace Hub.Config.Sections;

/// <summary>
/// Reads the <c>[job:NAME]</c> sections (docs/jobs.md): kind, schedule (a Quartz cron expression or an interval),
/// time zone, <c>after</c> (chaining), misfire policy and the kind's own keys; then checks the chains (every name known,
/// no cycle). Every problem is an error at its line.
/// </summary>
internal static class JobReader
{
    public const string SectionPrefix = "job:";

    public static bool Owns(string sectionName) => sectionName.StartsWith(SectionPrefix, StringComparison.Ordinal);

    public static List<JobOptions> ReadAll(IniDocument document, DiagnosticBag diagnostics)
    {
        var jobs = new List<JobOptions>();
        foreach (var section in document.Sections.Where(s => Owns(s.Name)))
        {
            if (Read(section, diagnostics) is { } job)
            {
                if (jobs.Any(j => j.Name == job.Name))
                {
                    diagnostics.Error(section.Line, section.Name, $"Job '{job.Name}' is defined twice");
                    continue;
                }

                jobs.Add(job);
            }
        }

        CheckChains(jobs, diagnostics);
        return jobs;
    }

    private static JobOptions? Read(IniSection section, DiagnosticBag diagnostics)
    {
        var reader = new OptionReader(diagnostics, section.Name);
        var name = section.Name[SectionPrefix.Length..].Trim();
        var errors = diagnostics.ToList().Count(d => d.IsError);
        if (name.Length == 0)
        {
            reader.Error(section.Line, "A job needs a name: [job:NAME]");
        }

        var keys = section.Entries.ToDictionary(e => e.Key, e => (QuoteStripping.Strip(e.Value).Trim(), e.Line), StringComparer.Ordinal);
        var kindEntry = section.Find("kind");
        var kind = kindEntry is null ? "" : QuoteStripping.Strip(kindEntry.Value).Trim();
        IReadOnlyList<JobSetting> settings = [];
        if (kindEntry is null)
        {
            reader.Error(section.Line, $"A job needs 'kind =' (one of {string.Join(", ", JobKinds.Names)})");
        }
        else if (!JobKinds.Settings.TryGetValue(kind, out settings!))
        {
            reader.Error(kindEntry.Line, $"Unknown job kind '{kind}' (known: {string.Join(", ", JobKinds.Names)})");
            settings = [];
        }

        var (cron, interval) = ReadSchedule(section.Find("schedule"), reader);
        var timeZone = ReadTimeZone(section.Find("timezone"), reader);
        var misfire = JobMisfire.RunOnce;
        if (section.Find("misfire") is { } misfireEntry)
        {
            switch (QuoteStripping.Strip(misfireEntry.Value).Trim().ToLowerInvariant())
            {
                case "run_once" or "":
                    break;
                case "skip":
                    misfire = JobMisfire.Skip;
                    break;
                default:
                    reader.Error(misfireEntry.Line, $"'misfire' must be run_once or skip, not '{misfireEntry.Value.Trim()}'");
                    break;
            }
        }

        var after = section.Find("after") is { } afterEntry
            ? QuoteStripping.Strip(afterEntry.Value).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        var typed = ReadSettings(section, settings, reader);
        foreach (var entry in section.Entries.Where(e => !JobKinds.CommonKeys.Contains(e.Key) && settings.All(s => s.Key != e.Key) && kindEntry is not null && JobKinds.Settings.ContainsKey(kind)))
        {
            reader.Warning(entry.Line, $"Unknown key '{entry.Key}' for a {kind} job is ignored");
        }

        if (diagnostics.ToList().Count(d => d.IsError) > errors)
        {
            return null;
        }

        return new JobOptions
        {
            Name = name,
            File = diagnostics.File,
            Line = section.Line,
            Kind = kind,
            Cron = cron,
            Interval = interval,
            TimeZone = timeZone,
            After = after,
            Misfire = misfire,
            Keys = keys,
            Settings = typed,
        };
    }

    private static (string? Cron, TimeSpan? Interval) ReadSchedule(IniEntry? entry, OptionReader reader)
    {
        var text = entry is null ? "" : QuoteStripping.Strip(entry.Value).Trim();
        if (entry is null || text.Length == 0)
        {
            return (null, null);
        }

        if (!text.Contains(' ', StringComparison.Ordinal))
        {
            if (Durations.TryParse(text, out var interval) && interval > TimeSpan.Zero)
            {
                return (null, interval);
            }

            reader.Error(entry.Line, $"'schedule' must be an interval (3600, 15m, 1h) or a cron expression (0 0 6 * * ?), not '{text}'");
            return (null, null);
        }

        try
        {
            Quartz.CronExpression.Parse(text);
            return (text, null);
        }
        catch (FormatException ex)
        {
            reader.Error(entry.Line, $"'schedule' is not a valid cron expression ('{text}'): {ex.Message}");
            return (null, null);
        }
    }

    private static TimeZoneInfo ReadTimeZone(IniEntry? entry, OptionReader reader)
    {
        var text = entry is null ? "" : QuoteStripping.Strip(entry.Value).Trim();
        if (text.Length == 0)
        {
            return TimeZoneInfo.Utc;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(text, out var zone))
        {
            return zone;
        }

        reader.Error(entry!.Line, $"Unknown time zone '{text}' (use an IANA name such as Europe/Berlin, or UTC)");
        return TimeZoneInfo.Utc;
    }

    private static Dictionary<string, object> ReadSettings(IniSection section, IReadOnlyList<JobSetting> settings, OptionReader reader)
    {
        var typed = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var setting in settings)
        {
            var entry = section.Find(setting.Key);
            var text = entry is null ? "" : QuoteStripping.Strip(entry.Value).Trim();
            if (entry is null || text.Length == 0)
            {
                if (setting.Required)
                {
                    reader.Error(entry?.Line ?? section.Line, $"A job of kind '{section.Find("kind")?.Value.Trim()}' needs '{setting.Key} ='");
                }
                else if (setting.Default is not null)
                {
                    typed[setting.Key] = setting.Default is string[] list ? list.ToList() : setting.Default;
                }

                continue;
            }

            switch (setting.Kind)
            {
                case JobSettingKind.Duration when Durations.TryParse(text, out var duration) && duration > TimeSpan.Zero:
                    typed[setting.Key] = duration;
                    break;
                case JobSettingKind.Duration:
                    reader.Error(entry.Line, $"'{setting.Key}' must be a duration such as 30s, 15m, 1h or 7d, not '{text}'");
                    break;
                case JobSettingKind.Number when ConfigValues.TryToDouble(text, out var number) && double.IsFinite(number):
                    typed[setting.Key] = number;
                    break;
                case JobSettingKind.Number:
                    reader.Error(entry.Line, $"'{setting.Key}' must be a number, not '{text}'");
                    break;
                case JobSettingKind.DurationList:
                    var durations = new List<TimeSpan>();
                    foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(i => !i.Equals("auto", StringComparison.OrdinalIgnoreCase)))
                    {
                        if (Durations.TryParse(item, out var period) && period > TimeSpan.Zero)
                        {
                            durations.Add(period);
                        }
                        else
                        {
                            reader.Error(entry.Line, $"'{setting.Key}' must be 'auto' or durations such as 1d, 7d, not '{item}'");
                        }
                    }

                    typed[setting.Key] = durations;
                    break;
                case JobSettingKind.List:
                    typed[setting.Key] = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                    break;
                default:
                    typed[setting.Key] = text;
                    break;
            }
        }

        return typed;
    }

    /// <summary>Every name in <c>after</c> must be a job; the chains must not form a cycle (reported once, at the first job of it).</summary>
    private static void CheckChains(List<JobOptions> jobs, DiagnosticBag diagnostics)
    {
        var byName = jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            foreach (var unknown in job.After.Where(a => !byName.ContainsKey(a)))
            {
                diagnostics.Error(job.LineOf("after"), SectionPrefix + job.Name, $"'after' names an unknown job '{unknown}'");
            }
        }

        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the path, 2 = done
        var path = new List<string>();
        foreach (var job in jobs)
        {
            Visit(job.Name);
        }

        void Visit(string name)
        {
            if (state.GetValueOrDefault(name) == 2 || !byName.TryGetValue(name, out var job))
            {
                return;
            }

            if (state.GetValueOrDefault(name) == 1)
            {
                var cycle = path.Skip(path.IndexOf(name)).Append(name);
                diagnostics.Error(job.LineOf("after"), SectionPrefix + name, $"Jobs chained in a cycle: {string.Join(" -> ", cycle)}");
                return;
            }

            state[name] = 1;
            path.Add(name);
            foreach (var previous in job.After)
            {
                Visit(previous);
            }

            path.RemoveAt(path.Count - 1);
            state[name] = 2;
        }
    }
}
