using System.Globalization;

namespace Hub.Formatting;

/// <summary>
/// The time keys of the transformation data, built fast: the parts that change once a second are
/// cached per thread, only the microseconds are written per message (this runs for every message).
/// </summary>
internal static class TimeKeys
{
    [ThreadStatic]
    private static Cache? _cache;

    public static (string DtIso, string LtIso, string HhMm, string HhMmSs) For(DateTimeOffset now, TimeZoneInfo local)
    {
        var utc = now.UtcDateTime;
        var second = utc.Ticks / TimeSpan.TicksPerSecond;
        var cache = _cache ??= new Cache();
        if (cache.Second != second || !ReferenceEquals(cache.Zone, local))
        {
            var localTime = TimeZoneInfo.ConvertTime(now, local).DateTime;
            cache.Second = second;
            cache.Zone = local;
            cache.UtcPrefix = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            cache.LocalPrefix = localTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            cache.HhMm = localTime.ToString("HH:mm", CultureInfo.InvariantCulture);
            cache.HhMmSs = localTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        }

        // Local and UTC share the sub-second part (time zones differ by whole seconds).
        var micros = (int)(utc.Ticks % TimeSpan.TicksPerSecond / 10);
        var dtIso = string.Create(cache.UtcPrefix.Length + 8, (cache.UtcPrefix, micros), static (span, state) =>
        {
            state.UtcPrefix.CopyTo(span);
            span[state.UtcPrefix.Length] = '.';
            WriteMicros(span[(state.UtcPrefix.Length + 1)..], state.micros);
            span[^1] = 'Z';
        });
        // Python's datetime.isoformat(): the fraction only when the microseconds are not zero.
        var ltIso = micros == 0 ? cache.LocalPrefix : string.Create(cache.LocalPrefix.Length + 7, (cache.LocalPrefix, micros), static (span, state) =>
        {
            state.LocalPrefix.CopyTo(span);
            span[state.LocalPrefix.Length] = '.';
            WriteMicros(span[(state.LocalPrefix.Length + 1)..], state.micros);
        });
        return (dtIso, ltIso, cache.HhMm, cache.HhMmSs);
    }

    private static void WriteMicros(Span<char> span, int micros)
    {
        for (var i = 5; i >= 0; i--)
        {
            span[i] = (char)('0' + micros % 10);
            micros /= 10;
        }
    }

    private sealed class Cache
    {
        public long Second = long.MinValue;
        public TimeZoneInfo? Zone;
        public string UtcPrefix = "";
        public string LocalPrefix = "";
        public string HhMm = "";
        public string HhMmSs = "";
    }
}
