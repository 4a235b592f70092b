using System.Collections;
using Hub.Formatting;

namespace Hub.Functions;

/// <summary>Turns what a user function returns into the data model (long, double, text, ordered objects, lists).</summary>
internal static class FunctionValues
{
    /// <summary>The object a <c>datamap</c>/<c>alldata</c> function returned, as data to merge; null when it is not an object.</summary>
    public static OrderedDictionary<string, object?>? ToObject(object? value)
    {
        switch (value)
        {
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (key, item) in pairs)
                {
                    result[key] = ToData(item);
                }

                return result;
            case IDictionary map:
                var converted = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in map)
                {
                    converted[Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? ""] = ToData(entry.Value);
                }

                return converted;
            default:
                return null;
        }
    }

    /// <summary>One value, recursively: CLR numbers normalised, maps to objects, other sequences (not text or bytes) to lists.</summary>
    public static object? ToData(object? value) => value switch
    {
        null or string or byte[] or bool or long or double => value,
        IEnumerable<KeyValuePair<string, object?>> or IDictionary => ToObject(value),
        IEnumerable items => items.Cast<object?>().Select(ToData).ToList(),
        _ => DataValue.Normalize(value),
    };
}
