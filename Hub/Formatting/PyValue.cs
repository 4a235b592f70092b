using System.Text;

namespace Hub.Formatting;

/// <summary>Python's str(), repr() and json.dumps() of data values (mqttwarn-compat §7.4, §7.5).</summary>
public static class PyValue
{
    /// <summary>Python's <c>str(value)</c>: text as is, everything else as its repr.</summary>
    public static string Str(object? value) => value is string text ? text : Repr(value);

    /// <summary>Python's <c>repr(value)</c>, e.g. <c>'it''s'</c> → <c>"it's"</c>, <c>1e16</c> → <c>1e+16</c>.</summary>
    public static string Repr(object? value)
    {
        var builder = new StringBuilder();
        PyRepr.AppendRepr(builder, value, asciiOnly: false);
        return builder.ToString();
    }

    /// <summary>Python's <c>ascii(value)</c>: the repr with every non-ASCII character escaped.</summary>
    public static string Ascii(object? value)
    {
        var builder = new StringBuilder();
        PyRepr.AppendRepr(builder, value, asciiOnly: true);
        return builder.ToString();
    }

    /// <summary>Python's <c>json.dumps(value)</c> with default arguments.</summary>
    /// <exception cref="FormatException">The value (or an item in it) is bytes or another non-JSON type.</exception>
    public static string Json(object? value)
    {
        var builder = new StringBuilder();
        PyJson.Append(builder, value);
        return builder.ToString();
    }

    /// <summary>Turns every two-character sequence backslash-n into a newline (mqttwarn-compat §6.5 step 4).</summary>
    public static string ExpandNewlines(string text) => text.Contains("\\n", StringComparison.Ordinal)
        ? text.Replace("\\n", "\n", StringComparison.Ordinal)
        : text;
}
