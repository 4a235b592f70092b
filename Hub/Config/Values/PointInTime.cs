using System.Globalization;

namespace Hub.Config.Values;

/// <summary>A point in time as <c>hub history</c> and the history API take it.</summary>
internal static class PointInTime
{
    /// <summary>ISO 8601 (UTC unless it says otherwise), milliseconds since the epoch, <c>now</c>, or a duration before now.</summary>
    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset time)
    {
        time = now;
        if (text == "now")
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            time = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            return true;
        }

        if (char.IsAsciiLetter(text[^1]) && Durations.TryParse(text, out var ago))
        {
            time = now - ago;
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }
}
