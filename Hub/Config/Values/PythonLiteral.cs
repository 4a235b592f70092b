using System.Numerics;

namespace Hub.Config.Values;

/// <summary>
/// The subset of Python literals that <c>mqttwarn.ini</c> values use (<c>ast.literal_eval</c>): numbers,
/// strings, <c>True</c>/<c>False</c>/<c>None</c>, lists, tuples and dicts. Values come back as
/// <see cref="string"/>, <see cref="long"/>, <see cref="BigInteger"/>, <see cref="double"/>, <see cref="bool"/>,
/// null, <see cref="List{T}"/> of object? (lists and tuples) or <see cref="OrderedDictionary{TKey, TValue}"/>
/// of string → object? (dicts, keys as text).
/// </summary>
public static class PythonLiteral
{
    /// <summary>Parses the whole (trimmed) text as one literal; false when it is not one.</summary>
    public static bool TryParse(string text, out object? value) => PythonLiteralParser.TryParse(text, out value);

    /// <summary>
    /// mqttwarn's read path for <c>[defaults]</c> and <c>[config:*]</c> values: <c>true</c>/<c>false</c>/<c>none</c>
    /// in any case, else a literal, else the trimmed text itself.
    /// </summary>
    public static object? ParseOrText(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (trimmed.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (trimmed.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return TryParse(trimmed, out var value) ? value : trimmed;
    }
}
