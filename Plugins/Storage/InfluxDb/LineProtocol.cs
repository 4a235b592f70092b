using System.Globalization;
using System.Numerics;
using System.Text;

namespace Hub.Plugins.Storage;

/// <summary>
/// InfluxDB line protocol (<c>measurement,tag=v field=1 1700000000000000000</c>): escaping and values.
/// Measurements escape commas and spaces; tag keys, tag values and field keys also equals signs;
/// string field values are quoted with their quotes and backslashes escaped. Line breaks, which the
/// protocol cannot carry in names and tags, become spaces there and <c>\n</c> in strings.
/// </summary>
public static class LineProtocol
{
    public static void Measurement(StringBuilder line, string name) => Escape(line, name, equalsToo: false);

    public static void Key(StringBuilder line, string text) => Escape(line, text, equalsToo: true);

    /// <summary>Appends a field value: numbers as floats (one type per field, whatever the message sent), booleans, text quoted. False when it has no line protocol form (NaN, null, lists).</summary>
    public static bool FieldValue(StringBuilder line, object? value)
    {
        switch (value)
        {
            case bool b:
                line.Append(b ? "true" : "false");
                return true;
            case string s:
                line.Append('"');
                foreach (var c in s)
                {
                    switch (c)
                    {
                        case '"' or '\\':
                            line.Append('\\').Append(c);
                            break;
                        case '\n':
                            line.Append("\\n");
                            break;
                        case '\r':
                            break;
                        default:
                            line.Append(c);
                            break;
                    }
                }

                line.Append('"');
                return true;
            case long or int or double or float or decimal or BigInteger when DataValues.TryGetNumber(value, out var number) && double.IsFinite(number):
                line.Append(number.ToString("R", CultureInfo.InvariantCulture));
                return true;
            default:
                return false;
        }
    }

    /// <summary>Nanoseconds per unit of a precision name (<c>ns</c>, <c>u</c>/<c>us</c>, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>).</summary>
    public static long NanosecondsPer(string precision) => precision switch
    {
        "ns" or "n" => 1,
        "u" or "us" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => throw new FormatException(PrecisionProblem(precision, false)),
    };

    public static string? PrecisionProblem(string precision, bool v2)
    {
        string[] allowed = v2 ? ["ns", "us", "ms", "s"] : ["ns", "n", "u", "us", "ms", "s", "m", "h"];
        return allowed.Contains(precision, StringComparer.Ordinal) ? null : $"precision must be one of {string.Join(", ", allowed)}, not '{precision}'";
    }

    /// <summary>The precision as the API names it in the query string (v1 says <c>u</c>, v2 <c>us</c>).</summary>
    public static string QueryName(string precision, bool v2) => (precision, v2) switch
    {
        ("u" or "us", true) => "us",
        ("u" or "us", false) => "u",
        ("n", _) => "ns",
        _ => precision,
    };

    /// <summary>The number of sections (separated by spaces that are neither escaped nor in a quoted string) of a line's text.</summary>
    public static int Sections(string text)
    {
        var sections = 1;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\':
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case ' ' when !quoted:
                    sections++;
                    while (i + 1 < text.Length && text[i + 1] == ' ')
                    {
                        i++;
                    }

                    break;
            }
        }

        return sections;
    }

    private static void Escape(StringBuilder line, string text, bool equalsToo)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case ',' or ' ':
                    line.Append('\\').Append(c);
                    break;
                case '=' when equalsToo:
                    line.Append("\\=");
                    break;
                case '\n' or '\r':
                    line.Append("\\ ");
                    break;
                default:
                    line.Append(c);
                    break;
            }
        }
    }
}
