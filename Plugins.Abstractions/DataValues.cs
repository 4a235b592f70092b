using System.Globalization;
using System.Numerics;

namespace Hub.Plugins;

/// <summary>
/// Reads values from transformation data (<see cref="PipelineMessage.Data"/>, <see cref="DeliveryItem.Data"/>)
/// whatever type they arrived as. A JSON number arrives as <see cref="long"/> when it is an integer
/// (<c>21</c>), as <see cref="double"/> when it has a fraction or an exponent (<c>21.5</c>, <c>2e1</c>), and
/// as <see cref="BigInteger"/> beyond 64 bits, so a test like <c>is double</c> misses every whole reading.
/// </summary>
public static class DataValues
{
    /// <summary>
    /// Reads <paramref name="key"/> as a number: see <see cref="TryGetNumber(object?, out double)"/> for what counts.
    /// False when the key is missing or its value is not a number.
    /// </summary>
    /// <param name="data">The transformation data.</param>
    /// <param name="key">The data key, e.g. <c>temperature</c>.</param>
    /// <param name="value">The number, or 0 when the result is false.</param>
    public static bool TryGetNumber(this IReadOnlyDictionary<string, object?> data, string key, out double value)
    {
        ArgumentNullException.ThrowIfNull(data);
        value = 0;
        return data.TryGetValue(key, out var raw) && TryGetNumber(raw, out value);
    }

    /// <summary>
    /// Converts one data value to a number. Numbers: every .NET integer type (a JSON integer is a
    /// <see cref="long"/>), <see cref="BigInteger"/>, <see cref="double"/>, <see cref="float"/> and
    /// <see cref="decimal"/> (from functions and transforms). Text that is a finite number in the invariant
    /// culture (<c>"21.5"</c>, <c>" -3 "</c>, <c>"1e3"</c>; no thousands separators) counts too, since many
    /// devices send readings as JSON strings. Not numbers: booleans, <see langword="null"/>, other text
    /// (including <c>"NaN"</c> and <c>"Infinity"</c>), bytes, lists and objects.
    /// </summary>
    /// <param name="raw">A data value.</param>
    /// <param name="value">The number, or 0 when the result is false.</param>
    public static bool TryGetNumber(object? raw, out double value)
    {
        switch (raw)
        {
            case long number:
                value = number;
                return true;
            case double number:
                value = number;
                return true;
            case int number:
                value = number;
                return true;
            case BigInteger number:
                value = (double)number;
                return true;
            case decimal number:
                value = (double)number;
                return true;
            case float number:
                value = number;
                return true;
            case short or ushort or uint or ulong or byte or sbyte:
                value = Convert.ToDouble(raw, CultureInfo.InvariantCulture);
                return true;
            case string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed):
                value = parsed;
                return true;
            default:
                value = 0;
                return false;
        }
    }
}
