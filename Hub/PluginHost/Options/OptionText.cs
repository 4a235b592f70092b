using System.Collections;
using System.Globalization;

namespace Hub.PluginHost.Options;

/// <summary>Renders option values the way they are written in <c>hub.ini</c> (Python literals).</summary>
public static class OptionText
{
    public static string Format(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        string s => $"'{s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'",
        TimeSpan t => t.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        Enum e => $"'{OptionNames.SnakeCase(e.ToString())}'",
        double d => d.ToString("R", CultureInfo.InvariantCulture) is var r && (r.Contains('.') || r.Contains('E')) ? r : r + ".0",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IDictionary dict => "{" + string.Join(", ", dict.Keys.Cast<object>().Select(k => $"{Format(k)}: {Format(dict[k])}")) + "}",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };
}
