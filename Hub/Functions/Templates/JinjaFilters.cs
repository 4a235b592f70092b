using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using Hub.Formatting;

namespace Hub.Functions.Templates;

/// <summary>
/// Filters under their Jinja2 names, imported into every template (lower-cased: <c>{{ name | upper }}</c>).
/// Each behaves as the Jinja2 filter of that name on the hub's data values.
/// </summary>
internal static class JinjaFilters
{
    /// <summary>mqttwarn's <c>jsonify</c>: Python's <c>json.dumps(value)</c>.</summary>
    public static string Jsonify(object? value) => PyValue.Json(value);

    /// <summary>Jinja2's <c>tojson</c>, as <c>json.dumps</c> (without Jinja2's HTML escaping).</summary>
    public static string Tojson(object? value) => PyValue.Json(value);

    public static string Upper(object? value) => Text(value).ToUpperInvariant();

    public static string Lower(object? value) => Text(value).ToLowerInvariant();

    /// <summary>Python's <c>str.title()</c>: each run of letters starts upper-case, the rest lower-case.</summary>
    public static string Title(object? value)
    {
        var text = Text(value);
        var builder = new StringBuilder(text.Length);
        var previousIsLetter = false;
        foreach (var character in text)
        {
            builder.Append(previousIsLetter ? char.ToLowerInvariant(character) : char.ToUpperInvariant(character));
            previousIsLetter = char.IsLetter(character);
        }

        return builder.ToString();
    }

    public static string Trim(object? value) => Text(value).Trim();

    /// <summary>Characters of a text, items of a list or keys of an object.</summary>
    public static long Length(object? value) => value switch
    {
        null => 0,
        string text => text.Length,
        ICollection collection => collection.Count,
        IReadOnlyCollection<KeyValuePair<string, object?>> map => map.Count,
        IEnumerable items => items.Cast<object?>().LongCount(),
        _ => Text(value).Length,
    };

    /// <summary>Jinja2's <c>int</c>: numbers truncated, numeric text parsed (also <c>"4.7"</c>), anything else <paramref name="fallback"/>.</summary>
    public static object Int(object? value, long fallback = 0) => value switch
    {
        bool flag => flag ? 1L : 0L,
        long or int or BigInteger => DataValue.Normalize(value)!,
        double real when double.IsFinite(real) => (long)Math.Truncate(real),
        string text when long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => whole,
        string text when double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real) => (long)Math.Truncate(real),
        _ => fallback,
    };

    /// <summary>Jinja2's <c>float</c>: numbers and numeric text as a float, anything else <paramref name="fallback"/>.</summary>
    public static double Float(object? value, double fallback = 0.0) => value switch
    {
        bool flag => flag ? 1.0 : 0.0,
        long whole => whole,
        int whole => whole,
        BigInteger big => (double)big,
        double real => real,
        string text when double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var real) => real,
        _ => fallback,
    };

    /// <summary>Python's <c>str(value)</c>.</summary>
    public static string String(object? value) => PyValue.Str(value);

    private static string Text(object? value) => value is null ? "" : PyValue.Str(value);
}
