using Hub.Config.Ini;
using Hub.Config.Values;

namespace Hub.Config.Sections;

/// <summary>
/// Topic-section <c>targets</c>, tried in mqttwarn's order: function reference → non-empty dict literal
/// (dispatcher) → list literal (hub) → comma list.
/// </summary>
internal static class TargetSpecReader
{
    /// <summary>The spec, or null (after reporting) when the value cannot be used.</summary>
    public static TargetSpec? Read(IniEntry entry, string value, OptionReader reader)
    {
        if (FunctionReference.TryMatch(value, out var function))
        {
            return new TargetFunction(function);
        }

        var trimmed = value.Trim();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            return PythonLiteral.TryParse(trimmed, out var literal) ? FromLiteral(entry, literal, reader) : FromCommaList(entry, value, reader);
        }

        return FromCommaList(entry, value, reader);
    }

    private static TargetSpec? FromLiteral(IniEntry entry, object? literal, OptionReader reader)
    {
        switch (literal)
        {
            case OrderedDictionary<string, object?> { Count: > 0 } dict:
                var entries = new List<KeyValuePair<string, IReadOnlyList<string>>>();
                foreach (var (filter, references) in dict)
                {
                    var list = StringItems(references);
                    if (list is null)
                    {
                        reader.Error(entry.Line, $"The dispatcher entry '{filter}' must map to a target reference or a list of them");
                        continue;
                    }

                    entries.Add(new(filter, list));
                }

                return new TargetDispatch(entries);
            case OrderedDictionary<string, object?>:
                reader.Error(entry.Line, "'targets' is an empty dict: no targets defined");
                return null;
            case List<object?> items when StringItems(items) is { } list:
                return new TargetList(Clean(list, entry, reader));
            default:
                reader.Error(entry.Line, "A 'targets' list literal must contain only target references (strings)");
                return null;
        }
    }

    private static List<string>? StringItems(object? value) => value switch
    {
        string s => [s.Trim()],
        List<object?> list when list.All(item => item is string) => list.Cast<string>().Select(s => s.Trim()).ToList(),
        _ => null,
    };

    private static TargetList FromCommaList(IniEntry entry, string value, OptionReader reader) =>
        new(Clean(value.Split(','), entry, reader));

    private static List<string> Clean(IEnumerable<string> items, IniEntry entry, OptionReader reader)
    {
        var references = new List<string>();
        foreach (var item in items.Select(i => i.Trim()))
        {
            if (item.Length == 0)
            {
                reader.Warning(entry.Line, "An empty item in 'targets' is ignored");
                continue;
            }

            references.Add(item);
        }

        return references;
    }
}
