using System.Buffers.Text;
using System.Globalization;
using System.Numerics;
using System.Text;
using Hub.Formatting;

namespace Hub.Analytics.Rules;

/// <summary>Reading numbers and times out of one message: the payload as a number, a payload field, an event time.</summary>
internal static class SampleData
{
    /// <summary>The payload as a number (<c>21.5</c>, surrounding spaces allowed); false when it is not one.</summary>
    public static bool TryPayloadNumber(ReadOnlySpan<byte> payload, out double value)
    {
        payload = payload.Trim(" \t\r\n\0"u8);
        if (Utf8Parser.TryParse(payload, out value, out var consumed) && consumed == payload.Length && double.IsFinite(value))
        {
            return true;
        }

        // JSON true/false and numbers in forms Utf8Parser refuses (1e400 is not finite: refused).
        if (payload.SequenceEqual("true"u8) || payload.SequenceEqual("false"u8))
        {
            value = payload[0] == 't' ? 1 : 0;
            return true;
        }

        return double.TryParse(Encoding.UTF8.GetString(payload), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>The data of the message: <c>topic</c> and the members of a JSON object payload (none when it is not one).</summary>
    public static IReadOnlyDictionary<string, object?> Data(string topic, ReadOnlySpan<byte> payload)
    {
        var data = new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["topic"] = topic };
        JsonData.TryMergeObject(data, payload, out _);
        return data;
    }

    /// <summary>A dotted path (<c>sensor.temp</c>, <c>list.0</c>) read as a number.</summary>
    public static bool TryField(IReadOnlyDictionary<string, object?> data, string path, out double value, out string? error)
    {
        object? current = data;
        foreach (var part in path.Split('.'))
        {
            current = current switch
            {
                IReadOnlyDictionary<string, object?> map when map.TryGetValue(part, out var member) => member,
                IReadOnlyList<object?> list when int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < list.Count => list[index],
                _ => Missing.Instance,
            };
            if (current is Missing)
            {
                value = double.NaN;
                error = $"the payload has no field '{path}'";
                return false;
            }
        }

        return TryNumber(current, path, out value, out error);
    }

    /// <summary>An event time: epoch seconds (milliseconds when above 1e11) or ISO 8601.</summary>
    public static bool TryTime(object? raw, out DateTimeOffset time)
    {
        time = default;
        if (TryNumber(raw, "", out var number, out _) && raw is not string)
        {
            return TryEpoch(number, out time);
        }

        var text = raw?.ToString()?.Trim() ?? "";
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
            return TryEpoch(number, out time);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }

    private static bool TryEpoch(double seconds, out DateTimeOffset time)
    {
        seconds = Math.Abs(seconds) > 1e11 ? seconds / 1000 : seconds;
        var ok = double.IsFinite(seconds) && seconds > -62_135_596_800 && seconds < 253_402_300_799;
        time = ok ? DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond)) : default;
        return ok;
    }

    private static bool TryNumber(object? raw, string path, out double value, out string? error)
    {
        error = null;
        switch (raw)
        {
            case double d: value = d; return true;
            case long l: value = l; return true;
            case int i: value = i; return true;
            case BigInteger b: value = (double)b; return true;
            case bool flag: value = flag ? 1 : 0; return true;
            case string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value): return true;
            default:
                value = double.NaN;
                error = $"the field '{path}' is not a number: {raw ?? "null"}";
                return false;
        }
    }

    private sealed class Missing
    {
        public static readonly Missing Instance = new();
    }
}
