namespace Hub.Config.Ini;

/// <summary>
/// Reads INI text the way Python's <c>configparser</c> reads <c>mqttwarn.ini</c> (strict mode,
/// multi-line values, <c>#</c>/<c>;</c> comment lines), but collects errors instead of stopping at the first.
/// </summary>
internal static class IniReader
{
    public const string DefaultSectionName = "DEFAULT";

    public static IniDocument Read(string text, DiagnosticBag diagnostics)
    {
        var state = new ReaderState(diagnostics);
        var lines = SplitLines(text);
        for (var index = 0; index < lines.Length; index++)
        {
            state.ReadLine(lines[index], index + 1);
        }

        state.FinishEntry();
        return state.Document;
    }

    private static string[] SplitLines(string text)
    {
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        return text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
    }

    private sealed class ReaderState(DiagnosticBag diagnostics)
    {
        private readonly Dictionary<string, int> sectionLines = new(StringComparer.Ordinal);
        private IniSection? section;
        private PendingEntry? entry;
        private int indentLevel;

        public IniDocument Document { get; } = new();

        public void ReadLine(string line, int lineNumber)
        {
            var value = line.Trim();
            if (value.Length == 0)
            {
                // configparser keeps blank lines inside a value; trailing ones are dropped when it is joined.
                entry?.Append("", lineNumber);
                return;
            }

            if (value[0] is '#' or ';')
            {
                return;
            }

            var indent = IndentOf(line);
            if (entry is not null && indent > indentLevel)
            {
                entry.Append(value, lineNumber);
                return;
            }

            FinishEntry();
            indentLevel = indent;
            if (value[0] == '[' && value.LastIndexOf(']') > 1)
            {
                StartSection(value[1..value.LastIndexOf(']')], lineNumber);
            }
            else if (section is null)
            {
                diagnostics.Error(lineNumber, null, $"Key line before the first [section] header: {value}");
                entry = PendingEntry.Discard(lineNumber);
            }
            else
            {
                StartEntry(value, lineNumber);
            }
        }

        public void FinishEntry()
        {
            if (entry is not null && section is not null && !entry.Discarded)
            {
                section.Add(entry.Build());
            }

            entry = null;
        }

        private void StartSection(string name, int lineNumber)
        {
            if (name == DefaultSectionName)
            {
                Document.Defaults ??= new IniSection(name, lineNumber);
                section = Document.Defaults;
                return;
            }

            if (sectionLines.TryGetValue(name, out var firstLine))
            {
                diagnostics.Error(lineNumber, name, $"Duplicate section [{name}] (also at line {firstLine})");
                diagnostics.Error(firstLine, name, $"Duplicate section [{name}] (also at line {lineNumber})");
                // Keys of the repeated section are still read (and checked), then dropped.
                section = new IniSection(name, lineNumber);
                return;
            }

            sectionLines[name] = lineNumber;
            section = new IniSection(name, lineNumber);
            Document.Sections.Add(section);
        }

        private void StartEntry(string value, int lineNumber)
        {
            var separator = value.IndexOfAny(['=', ':']);
            if (separator < 0)
            {
                var hint = value.StartsWith('}') || value.StartsWith(']') || value.StartsWith(')')
                    ? " (the closing bracket of a multi-line value must be indented)"
                    : " (expected 'key = value', a [section] header or a comment)";
                diagnostics.Error(lineNumber, section!.Name, $"Invalid line: {value}{hint}");
                entry = PendingEntry.Discard(lineNumber);
                return;
            }

            var key = value[..separator].Trim().ToLowerInvariant();
            if (key.Length == 0)
            {
                diagnostics.Error(lineNumber, section!.Name, $"Invalid line without a key: {value}");
                entry = PendingEntry.Discard(lineNumber);
                return;
            }

            var existing = section!.Find(key);
            if (existing is not null)
            {
                diagnostics.Error(lineNumber, section.Name, $"Duplicate key '{key}' (also at line {existing.Line})");
                diagnostics.Error(existing.Line, section.Name, $"Duplicate key '{key}' (also at line {lineNumber})");
                entry = PendingEntry.Discard(lineNumber);
                return;
            }

            entry = new PendingEntry(key, lineNumber);
            entry.Append(value[(separator + 1)..].Trim(), lineNumber);
        }

        private static int IndentOf(string line)
        {
            var indent = 0;
            while (indent < line.Length && char.IsWhiteSpace(line[indent]))
            {
                indent++;
            }

            return indent;
        }
    }

    /// <summary>A key being read; a discarded one swallows the continuation lines of a rejected line.</summary>
    private sealed class PendingEntry(string key, int line, bool discarded = false)
    {
        private readonly List<string> parts = [];
        private readonly List<int> lines = [];

        public bool Discarded { get; } = discarded;

        public static PendingEntry Discard(int line) => new("", line, discarded: true);

        public void Append(string part, int lineNumber)
        {
            parts.Add(part);
            lines.Add(lineNumber);
        }

        public IniEntry Build()
        {
            var count = parts.Count;
            while (count > 1 && parts[count - 1].Length == 0)
            {
                count--;
            }

            var value = string.Join('\n', parts.Take(count));
            // A value that is only blank lines joins to "\n\n", which configparser strips to "".
            return new IniEntry(key, value.Trim().Length == 0 ? "" : value, line, lines.Take(count).ToList());
        }
    }
}
