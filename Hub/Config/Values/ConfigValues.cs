using System.Globalization;
using System.Numerics;

namespace Hub.Config.Values;

/// <summary>
/// Converts parsed option values (see <see cref="PythonLiteral"/>) to the type an option expects, the hub's way
/// (mqttwarn would use Python truthiness, so <c>no</c> would be true). Shared with plugins reading their options.
/// </summary>
public static class ConfigValues
{
    private static readonly string[] TrueWords = ["true", "yes", "on", "y", "t", "1"];
    private static readonly string[] FalseWords = ["false", "no", "off", "n", "f", "0"];

    /// <summary><c>True</c>/<c>False</c>, 0/1, or text <c>true yes on y t 1</c> / <c>false no off n f 0</c> in any case.</summary>
    public static bool TryToBool(object? value, out bool result)
    {
        result = false;
        switch (value)
        {
            case bool b:
                result = b;
                return true;
            case long l and (0 or 1):
                result = l == 1;
                return true;
            case string s:
                var word = s.Trim().ToLowerInvariant();
                result = TrueWords.Contains(word);
                return result || FalseWords.Contains(word);
            default:
                return false;
        }
    }

    /// <summary>An integer literal, or text that is an integer (within <see cref="long"/>).</summary>
    public static bool TryToLong(object? value, out long result)
    {
        result = 0;
        switch (value)
        {
            case long l:
                result = l;
                return true;
            case string s:
                return long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
            default:
                return false;
        }
    }

    /// <summary>As <see cref="TryToLong"/>, within <see cref="int"/>.</summary>
    public static bool TryToInt(object? value, out int result)
    {
        result = 0;
        if (!TryToLong(value, out var l) || l is < int.MinValue or > int.MaxValue)
        {
            return false;
        }

        result = (int)l;
        return true;
    }

    /// <summary>An integer or float literal, or text that is a finite number.</summary>
    public static bool TryToDouble(object? value, out double result)
    {
        result = 0;
        switch (value)
        {
            case long l:
                result = l;
                return true;
            case BigInteger b:
                result = (double)b;
                return true;
            case double d:
                result = d;
                return !double.IsNaN(d);
            case string s:
                return double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out result) && double.IsFinite(result);
            default:
                return false;
        }
    }

    /// <summary>
    /// A string option: a string literal gives its value, <c>None</c> gives null (unset), any other literal gives
    /// its source text (<c>password = 0x10</c> is <c>0x10</c>, not 16).
    /// </summary>
    public static string? ToText(object? value, string sourceText) => value switch
    {
        null => null,
        string s => s,
        _ => sourceText.Trim(),
    };

    /// <summary>A list or tuple literal of strings, or comma text (items trimmed, empty items dropped).</summary>
    public static bool TryToStringList(object? value, string sourceText, out List<string> result)
    {
        result = [];
        switch (value)
        {
            case null:
                return true;
            case List<object?> list:
                foreach (var item in list)
                {
                    if (item is not string s)
                    {
                        return false;
                    }

                    result.Add(s);
                }

                return true;
            default:
                var text = ToText(value, sourceText) ?? "";
                result.AddRange(text.Split(',').Select(item => item.Trim()).Where(item => item.Length > 0));
                return true;
        }
    }
}
