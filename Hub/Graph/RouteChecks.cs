using Hub.Config;
using Hub.Config.Sections;
using Hub.Formatting;
using Hub.Mqtt;

namespace Hub.Graph;

/// <summary>
/// The checks of a route that need the routing and formatting rules: its topic filter must be one a broker accepts
/// (an error), and its format strings are parsed once at load: one that can never render is a warning, because
/// mqttwarn loads such files and falls back to the payload at run time (<c>hub check --strict</c> refuses them).
/// </summary>
internal static class RouteChecks
{
    private static readonly string[] FormatKeys = ["format", "title", "priority", "image"];

    public static IEnumerable<ConfigDiagnostic> Check(HubConfig config)
    {
        foreach (var section in config.Sections)
        {
            if (!TopicFilter.IsValid(section.Topic, out var reason))
            {
                yield return new ConfigDiagnostic(At(section, "topic"), $"invalid topic filter '{section.Topic}': {reason}") { Section = section.Name };
            }
        }

        foreach (var section in config.Sections.Append(config.Failover).OfType<TopicSection>())
        {
            foreach (var (key, format) in FormatStrings(section))
            {
                foreach (var (problem, neverWorks) in FormatCheck.Problems(format))
                {
                    var message = neverWorks
                        ? $"'{key}' can never be rendered ({problem}): the message falls back to the payload"
                        : $"'{key}': {problem}";
                    yield return new ConfigDiagnostic(At(section, key), message, IsError: false) { Section = section.Name };
                }
            }
        }
    }

    /// <summary>The <c>str.format</c> strings of a section by key: function references and templates are not.</summary>
    private static IEnumerable<(string Key, string Format)> FormatStrings(TopicSection section)
    {
        string?[] values = [section.Format, section.Title, section.Priority, section.Image];
        for (var i = 0; i < FormatKeys.Length; i++)
        {
            if (values[i] is { } value && !FunctionReference.TryMatch(value, out _))
            {
                yield return (FormatKeys[i], value);
            }
        }

        foreach (var key in section.KeyLines.Keys)
        {
            var parts = key.Split('.', 3);
            if (parts.Length < 2 || parts[0] is not ("format" or "title") || parts.Any(p => p.Length == 0))
            {
                continue;
            }

            var reference = parts.Length == 2 ? parts[1] : $"{parts[1]}:{parts[2]}";
            if (section.Overrides.GetValueOrDefault(reference) is { } own && (parts[0] == "format" ? own.Format : own.Title) is { } value)
            {
                yield return (key, value);
            }
        }
    }

    private static SourceLocation At(TopicSection section, string key) =>
        section.KeyLines.TryGetValue(key, out var line) ? section.Location with { Line = line } : section.Location;
}
