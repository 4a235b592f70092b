using System.Globalization;

namespace Hub.Config.Values;

/// <summary>
/// Reads durations as integrators write them: <c>90</c> (seconds), <c>500ms</c>, <c>30s</c>, <c>10m</c>,
/// <c>2h</c>, <c>1d</c>; fractions are allowed (<c>1.5s</c>).
/// </summary>
public static class Durations
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        var value = text?.Trim().Trim('\'', '"').Trim();
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var unitStart = value.Length;
        while (unitStart > 0 && char.IsAsciiLetter(value[unitStart - 1]))
        {
            unitStart--;
        }

        var scale = value[unitStart..].ToLowerInvariant() switch
        {
            "" or "s" or "sec" or "second" or "seconds" => 1.0,
            "ms" => 0.001,
            "m" or "min" or "minute" or "minutes" => 60.0,
            "h" or "hour" or "hours" => 3600.0,
            "d" or "day" or "days" => 86400.0,
            _ => double.NaN,
        };
        if (double.IsNaN(scale) || !double.TryParse(value[..unitStart].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            || !double.IsFinite(number) || number < 0 || number * scale > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(number * scale);
        return true;
    }

    /// <summary>A short human form in the largest unit that divides it: <c>250 ms</c>, <c>4 s</c>, <c>90 s</c>, <c>1 min</c>, <c>2 h</c>, <c>1.5 s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        var seconds = duration.TotalSeconds;
        return seconds switch
        {
            < 1 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0.#} ms"),
            _ when seconds % 3600 == 0 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0} h"),
            _ when seconds % 60 == 0 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0} min"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{seconds:0.###} s"),
        };
    }
}
