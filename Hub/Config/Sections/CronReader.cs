using Hub.Config.Ini;
using Hub.Config.Values;

namespace Hub.Config.Sections;

/// <summary>Reads <c>[cron]</c>: <c>function = interval[; now=true]</c> per line.</summary>
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

    private static (string Name, string Value) SplitOption(string option)
    {
        var equals = option.IndexOf('=', StringComparison.Ordinal);
        return equals < 0
            ? (option.Trim().ToLowerInvariant(), "")
            : (option[..equals].Trim().ToLowerInvariant(), option[(equals + 1)..].Trim());
    }
}
