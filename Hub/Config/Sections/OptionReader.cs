using Hub.Config.Ini;
using Hub.Config.Values;

namespace Hub.Config.Sections;

/// <summary>Typed reading of one section's values; a value of the wrong type is an error at its line, and null is returned.</summary>
internal sealed class OptionReader(DiagnosticBag diagnostics, string section)
{
    public string Section { get; } = section;

    public string File => diagnostics.File;

    public void Error(int line, string message) => diagnostics.Error(line, Section, message);

    public void Warning(int line, string message) => diagnostics.Warning(line, Section, message);

    public bool? Bool(IniEntry entry, object? value)
    {
        if (IsEmpty(entry))
        {
            return null;
        }

        if (ConfigValues.TryToBool(value, out var result))
        {
            return result;
        }

        Error(entry.Line, $"'{entry.Key}' must be a boolean (true/false, yes/no, on/off, 1/0), not '{entry.Value.Trim()}'");
        return null;
    }

    public int? Int(IniEntry entry, object? value, int minimum, int maximum)
    {
        if (IsEmpty(entry))
        {
            return null;
        }

        if (ConfigValues.TryToInt(value, out var result) && result >= minimum && result <= maximum)
        {
            return result;
        }

        var range = maximum == int.MaxValue ? $"at least {minimum}" : $"from {minimum} to {maximum}";
        Error(entry.Line, $"'{entry.Key}' must be an integer {range}, not '{entry.Value.Trim()}'");
        return null;
    }

    /// <summary>A duration greater than zero (<c>30s</c>, <c>10m</c>, <c>2h</c>; a plain number is seconds).</summary>
    public long? ByteSize(IniEntry entry, string? text)
    {
        if (IsEmpty(entry))
        {
            return null;
        }

        if (ByteSizes.TryParse(text, out var result) && result > 0)
        {
            return result;
        }

        Error(entry.Line, $"'{entry.Key}' must be a size in bytes such as 1048576, 512KB, 64MB or 1GB, not '{entry.Value.Trim()}'");
        return null;
    }

    public TimeSpan? Duration(IniEntry entry, string? text)
    {
        if (IsEmpty(entry))
        {
            return null;
        }

        if (Durations.TryParse(text, out var result) && result > TimeSpan.Zero)
        {
            return result;
        }

        Error(entry.Line, $"'{entry.Key}' must be a duration such as 30s, 10m or 2h (a plain number is seconds), not '{entry.Value.Trim()}'");
        return null;
    }

    public double? PositiveSeconds(IniEntry entry, object? value)
    {
        if (IsEmpty(entry))
        {
            return null;
        }

        if (ConfigValues.TryToDouble(value, out var result) && result > 0 && double.IsFinite(result))
        {
            return result;
        }

        Error(entry.Line, $"'{entry.Key}' must be a number of seconds greater than 0, not '{entry.Value.Trim()}'");
        return null;
    }

    /// <summary>An empty value (<c>tls =</c>) leaves the option at its default, as an absent key would.</summary>
    private static bool IsEmpty(IniEntry entry) => entry.Value.Trim().Length == 0;

    public static string? Text(IniEntry entry, object? value) => ConfigValues.ToText(value, entry.Value);

    public List<string>? StringList(IniEntry entry, object? value)
    {
        if (ConfigValues.TryToStringList(value, entry.Value, out var result))
        {
            return result;
        }

        Error(entry.Line, $"'{entry.Key}' must be a list of names, not '{entry.Value.Trim()}'");
        return null;
    }
}
