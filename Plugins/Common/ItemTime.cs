using System.Globalization;

namespace Hub.Plugins.Common;

/// <summary>
/// When a message arrived, for storage sinks that write timestamps: the transformation data's <c>_dtiso</c>
/// (UTC, microseconds), else <c>_dtepoch</c> (seconds), else the clock now. A batch written late keeps
/// each value at its own time.
/// </summary>
public static class ItemTime
{
    public static DateTimeOffset Of(DeliveryItem item, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(time);
        if (item.Data.TryGetValue("_dtiso", out var iso) && iso is string text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        return item.Data.TryGetValue("_dtepoch", out var epoch) && epoch is long seconds
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : time.GetUtcNow();
    }

    /// <summary>Nanoseconds since the Unix epoch (100 ns resolution).</summary>
    public static long UnixNanoseconds(DateTimeOffset moment) => (moment.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
}
