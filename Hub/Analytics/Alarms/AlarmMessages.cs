using System.Globalization;
using System.Text;
using Hub.Formatting;

namespace Hub.Analytics.Alarms;

/// <summary>The titles and texts of alarm notifications, and the rendering of <c>summary</c>/<c>description</c>.</summary>
internal static class AlarmMessages
{
    /// <summary>A rule's format string over the alarm's values (<c>value</c>, <c>rule</c>, <c>key</c>, <c>state</c>, <c>severity</c>, its labels and the verdict's values); the format itself when it cannot be rendered.</summary>
    public static string? Render(string? format, AlarmEntry entry)
    {
        if (format is null)
        {
            return null;
        }

        var data = new Dictionary<string, object?>(entry.Values, StringComparer.Ordinal);
        foreach (var (name, text) in entry.Labels)
        {
            data.TryAdd(name, text);
        }

        data["value"] = entry.Value;
        data["rule"] = entry.Rule;
        data["key"] = entry.Key;
        data["state"] = AlarmStates.Name(entry.State);
        data["severity"] = entry.Severity;
        return PyFormatter.Instance.TryFormat(format, data, out var text2, out _) ? text2 : format;
    }

    /// <summary>One alarm's line in a message: <c>KEY: summary</c>, or its state and value when it has no summary.</summary>
    public static string Line(AlarmEntry entry) =>
        $"{entry.Key}: {entry.Summary ?? $"{AlarmStates.Name(entry.State)}, value {Number(entry.Value)}"}";

    public static AlarmNotification Alarms(string kind, AlarmGroup group, IReadOnlyList<(AlarmEntry Entry, IReadOnlyList<AlarmEntry> Correlated)> alarms,
        Func<AlarmEntry, string?> description)
    {
        var word = kind.ToUpperInvariant();
        var scope = group.Labels.Count == 0 ? "" : " " + string.Join(", ", group.Labels.Select(l => $"{l.Key}={l.Value}"));
        var members = alarms.Sum(a => 1 + a.Correlated.Count);
        var text = new StringBuilder();
        string title;
        if (members == 1)
        {
            var entry = alarms[0].Entry;
            title = $"[{word}] {entry.Rule} {entry.Key}";
            text.Append(Line(entry));
            if (description(entry) is { } more)
            {
                text.Append('\n').Append(more);
            }
        }
        else
        {
            title = $"[{word}:{members}] {group.Rule}{scope}";
            foreach (var (entry, correlated) in alarms)
            {
                text.Append("- ").Append(entry.Rule == group.Rule ? "" : entry.Rule + " ").Append(Line(entry));
                if (correlated.Count > 0)
                {
                    text.Append(" (correlated: ").AppendJoin(", ", correlated.Select(c => c.Id)).Append(')');
                }

                text.Append('\n');
            }

            text.Length--;
        }

        return new AlarmNotification(group.Rule, title, text.ToString(), HighestSeverity(alarms.Select(a => a.Entry.Severity)),
            [.. alarms.SelectMany(a => a.Correlated.Prepend(a.Entry)).Select(Snapshot)])
        { Kind = kind };
    }

    public static AlarmNotification Resolved(AlarmEntry entry, DateTimeOffset firingSince, DateTimeOffset now) =>
        new(entry.Rule, $"[RESOLVED] {entry.Rule} {entry.Key}",
            $"{entry.Key}: resolved after {Duration(now - firingSince)}, value {Number(entry.Value)}", entry.Severity, [Snapshot(entry)])
        { Kind = "resolved" };

    public static AlarmNotification Flapping(AlarmEntry entry, double percent) =>
        new(entry.Rule, $"[FLAPPING] {entry.Rule} {entry.Key}",
            $"{entry.Key}: flapping ({percent.ToString("F0", CultureInfo.InvariantCulture)} % state change over the last {FlapDetector.Window} evaluations); notifications are held until it settles",
            entry.Severity, [Snapshot(entry)])
        { Kind = "flapping" };

    public static AlarmTransition Snapshot(AlarmEntry entry) => Snapshot(entry, entry.State, muted: false);

    public static AlarmTransition Snapshot(AlarmEntry entry, AlarmState previous, bool muted) =>
        new(entry.Rule, entry.Key, entry.State, previous, entry.Severity, entry.Value, entry.Since, entry.Summary, entry.Labels, entry.Flapping)
        {
            Acknowledged = entry.IsAcknowledged,
            Muted = muted,
        };

    /// <summary>critical &gt; error &gt; warning &gt; info &gt; anything else.</summary>
    public static string HighestSeverity(IEnumerable<string> severities) =>
        severities.OrderByDescending(s => s switch { "critical" => 4, "error" => 3, "warning" => 2, "info" => 1, _ => 0 }).FirstOrDefault() ?? "warning";

    private static string Number(double? value) => value is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : "none";

    private static string Duration(TimeSpan span) => span.TotalSeconds < 90 ? $"{span.TotalSeconds:F0} s"
        : span.TotalMinutes < 90 ? $"{span.TotalMinutes:F0} min" : $"{span.TotalHours:F1} h";
}
