using Hub.Config.Ini;
using Hub.Config.Values;

namespace Hub.Config.Sections;

/// <summary>
/// Reads <c>[cron]</c>: <c>function = interval[; now=true]</c> per line (mqttwarn), or
/// <c>function = CRON EXPRESSION[; tz=Europe/Berlin]</c> (a Quartz cron expression, seconds first).
/// </summary>
internal static class CronReader
{
    public const string SectionName = "cron";

    public static List<CronEntry> Read(IniSection section, DiagnosticBag diagnostics)
    {
        var reader = new OptionReader(diagnostics, SectionName);
        var entries = new List<CronEntry>();
        foreach (var entry in section.Entries)
        {
            var parts = QuoteStripping.Strip(entry.Value).Split(';');
            if (parts[0].Trim().Contains(' ', StringComparison.Ordinal))
            {
                if (ReadCron(entry, parts, reader, diagnostics) is { } cronEntry)
                {
                    entries.Add(cronEntry);
                }

                continue;
            }

            if (!ConfigValues.TryToDouble(parts[0], out var interval) || interval <= 0)
            {
                reader.Error(entry.Line, $"The interval of '{entry.Key}' must be a number of seconds greater than 0, not '{parts[0].Trim()}'");
                continue;
            }

            var now = false;
            foreach (var option in parts.Skip(1).Where(p => p.Trim().Length > 0))
            {
                var (name, value) = SplitOption(option);
                if (name != "now")
                {
                    reader.Warning(entry.Line, $"Unknown [cron] option '{name}' is ignored");
                }
                else if (ConfigValues.TryToBool(value, out var parsed))
                {
                    now = parsed;
                }
                else
                {
                    reader.Error(entry.Line, $"The option 'now' of '{entry.Key}' must be a boolean, not '{value}'");
                }
            }

            entries.Add(new CronEntry(entry.Key, interval, now, new SourceLocation(diagnostics.File, entry.Line)));
        }

        return entries;
    }

    private static CronEntry? ReadCron(IniEntry entry, string[] parts, OptionReader reader, DiagnosticBag diagnostics)
    {
        var expression = parts[0].Trim();
        var ok = true;
        try
        {
            Quartz.CronExpression.Parse(expression);
        }
        catch (FormatException ex)
        {
            reader.Error(entry.Line, $"The schedule of '{entry.Key}' is neither a number of seconds nor a valid cron expression ('{expression}'): {ex.Message}");
            ok = false;
        }

        var zone = TimeZoneInfo.Utc;
        foreach (var option in parts.Skip(1).Where(p => p.Trim().Length > 0))
        {
            var (name, value) = SplitOption(option);
            if (name != "tz")
            {
                reader.Warning(entry.Line, $"Unknown [cron] option '{name}' for a cron expression is ignored (only tz=)");
            }
            else if (!TimeZoneInfo.TryFindSystemTimeZoneById(value, out zone!))
            {
                reader.Error(entry.Line, $"Unknown time zone '{value}' for '{entry.Key}' (use an IANA name such as Europe/Berlin, or UTC)");
                (zone, ok) = (TimeZoneInfo.Utc, false);
            }
        }

        return ok ? new CronEntry(entry.Key, 0, false, new SourceLocation(diagnostics.File, entry.Line)) { Cron = expression, TimeZone = zone } : null;
    }

    private static (string Name, string Value) SplitOption(string option)
    {
        var equals = option.IndexOf('=', StringComparison.Ordinal);
        return equals < 0
            ? (option.Trim().ToLowerInvariant(), "")
            : (option[..equals].Trim().ToLowerInvariant(), option[(equals + 1)..].Trim());
    }
}
