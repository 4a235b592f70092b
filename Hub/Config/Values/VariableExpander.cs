using System.Text.RegularExpressions;
using Hub.Config.Ini;

namespace Hub.Config.Values;

/// <summary>
/// Expands <c>$ENV:NAME</c>, <c>${ENV:NAME}</c>, <c>$FILE:path</c> and <c>${FILE:path}</c> in a value, once
/// (substituted text is not scanned again). Unknown types stay as written.
/// </summary>
internal static partial class VariableExpander
{
    public static IniEntry Expand(IniEntry entry, string section, string configDirectory, DiagnosticBag diagnostics)
    {
        if (!entry.Value.Contains('$', StringComparison.Ordinal))
        {
            return entry;
        }

        var expanded = VariablePattern().Replace(entry.Value, match => Substitute(match, entry, section, configDirectory, diagnostics));
        return entry with { Value = expanded };
    }

    /// <summary>The files a value reads through <c>$FILE:path</c> / <c>${FILE:path}</c>, resolved as <see cref="Expand"/> resolves them.</summary>
    public static IEnumerable<string> FileReferences(string value, string configDirectory) =>
        VariablePattern().Matches(value)
            .Where(m => (m.Groups["btype"].Success ? m.Groups["btype"].Value : m.Groups["type"].Value) == "FILE")
            .Select(m => ConfigPaths.Resolve(m.Groups["btype"].Success ? m.Groups["bname"].Value : m.Groups["name"].Value, configDirectory));

    private static string Substitute(Match match, IniEntry entry, string section, string configDirectory, DiagnosticBag diagnostics)
    {
        var braced = match.Groups["btype"].Success;
        var type = braced ? match.Groups["btype"].Value : match.Groups["type"].Value;
        var name = braced ? match.Groups["bname"].Value : match.Groups["name"].Value;
        var line = entry.LineAt(match.Index);
        switch (type)
        {
            case "ENV":
                // Unbraced, an environment name is word characters only: "$ENV:HOST:8443" keeps ":8443".
                var rest = "";
                if (!braced)
                {
                    var wordLength = WordPrefix().Match(name).Length;
                    if (wordLength == 0)
                    {
                        return match.Value;
                    }

                    rest = name[wordLength..];
                    name = name[..wordLength];
                }

                var value = name.Contains('\0') || name.Contains('=') ? null : Environment.GetEnvironmentVariable(name);
                if (value is null)
                {
                    diagnostics.Error(line, section, $"Environment variable '{name}' is not set (used by '{entry.Key}')");
                    return match.Value;
                }

                return value + rest;
            case "FILE":
                return ReadFile(name, configDirectory, out var error) ?? ReportFileError(error, line, section, entry, diagnostics, match.Value);
            default:
                return match.Value;
        }
    }

    private static string ReportFileError(string? error, int line, string section, IniEntry entry, DiagnosticBag diagnostics, string original)
    {
        diagnostics.Error(line, section, $"{error} (used by '{entry.Key}')");
        return original;
    }

    private static string? ReadFile(string path, string configDirectory, out string? error)
    {
        error = null;
        var resolved = ConfigPaths.Resolve(path, configDirectory);
        try
        {
            var content = File.ReadAllText(resolved);
            return RemoveOneTrailingLineBreak(content);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"Cannot read file '{path}' ({resolved}): {ex.Message}";
            return null;
        }
    }

    private static string RemoveOneTrailingLineBreak(string content)
    {
        if (content.EndsWith("\r\n", StringComparison.Ordinal))
        {
            return content[..^2];
        }

        return content.EndsWith('\n') || content.EndsWith('\r') ? content[..^1] : content;
    }

    [GeneratedRegex(@"\$\{(?<btype>\w+):(?<bname>[^}]+)\}|\$(?<type>\w+):(?<name>[\w./~\\-]+)")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"^\w*")]
    private static partial Regex WordPrefix();
}
