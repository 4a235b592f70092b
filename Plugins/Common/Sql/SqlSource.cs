using System.Globalization;
using System.Text.Json;

namespace Hub.Plugins.Common.Sql;

/// <summary>
/// Where a column's value comes from, and its conversion to the column's kind. A source is a data key
/// (<c>temperature</c>, <c>topic</c>, <c>_dtepoch</c>), a template with <c>{…}</c> formatted with the data, or one of
/// <c>$time</c> (the message's time, from <c>_dtiso</c>), <c>$message</c> (the formatted message), <c>$field</c> and
/// <c>$value</c> (the field name and number of a per-value row; for a per-message row an empty name and the message
/// as a number when it is one).
/// </summary>
public static class SqlSource
{
    public const string Time = "$time";
    public const string Message = "$message";
    public const string Field = "$field";
    public const string Value = "$value";

    /// <summary>Keys of the transformation data that are not readings: the per-value mode skips them.</summary>
    public static bool IsBuiltIn(string key) => key is "topic" or "payload" || key.StartsWith('_');

    /// <summary>The raw value of a source for one row (before conversion to the column's kind).</summary>
    public static object? Read(string source, DeliveryItem item, IDataFormatter formatter, string? field, object? value)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(formatter);
        return source switch
        {
            Time => MessageTime(item),
            Message => item.Message,
            Field => field ?? "",
            Value => field is null ? (DataValues.TryGetNumber(item.Message, out var number) ? number : null) : value,
            _ when source.Contains('{', StringComparison.Ordinal) => formatter.Format(source, item.Data),
            _ => item.Data.GetValueOrDefault(source),
        };
    }

    /// <summary>The message's time: <c>_dtiso</c> (UTC, microseconds) when present, else <c>_dtepoch</c>, else null.</summary>
    public static DateTime? MessageTime(DeliveryItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Data.GetValueOrDefault("_dtiso") is string iso && ParseTime(iso) is { } time)
        {
            return time;
        }

        return DataValues.TryGetNumber(item.Data, "_dtepoch", out var epoch) ? DateTime.UnixEpoch.AddSeconds(epoch) : null;
    }

    /// <summary>
    /// Converts a value to a column's kind: numbers from numbers or numeric text, times from ISO text or epoch
    /// seconds (milliseconds above 10^11), text from anything (lists and dicts as JSON). Null when it does not convert.
    /// </summary>
    public static object? Convert(object? raw, ColumnKind kind)
    {
        if (raw is null)
        {
            return null;
        }

        switch (kind)
        {
            case ColumnKind.Integer:
                return DataValues.TryGetNumber(raw, out var whole) && Math.Abs(whole) < 9.2e18 ? (long)Math.Round(whole) : raw is bool b ? (b ? 1L : 0L) : null;
            case ColumnKind.Real:
                return DataValues.TryGetNumber(raw, out var real) ? real : raw is bool yes ? (yes ? 1.0 : 0.0) : null;
            case ColumnKind.Boolean:
                return raw switch
                {
                    bool flag => flag,
                    string text when bool.TryParse(text.Trim(), out var parsed) => parsed,
                    _ when DataValues.TryGetNumber(raw, out var n) => n != 0,
                    _ => null,
                };
            case ColumnKind.Time:
                return raw switch
                {
                    DateTime time => time,
                    DateTimeOffset offset => offset.UtcDateTime,
                    string text when ParseTime(text) is { } parsed => parsed,
                    _ when DataValues.TryGetNumber(raw, out var epoch) => epoch > 1e11 ? DateTime.UnixEpoch.AddMilliseconds(epoch) : DateTime.UnixEpoch.AddSeconds(epoch),
                    _ => null,
                };
            case ColumnKind.Json:
                return raw is string json && IsJson(json) ? json : DataJson.From(raw)?.ToJsonString() ?? "null";
            case ColumnKind.Bytes:
                return raw is byte[] bytes ? bytes : System.Text.Encoding.UTF8.GetBytes(Text(raw));
            default:
                return Text(raw);
        }
    }

    /// <summary>A value as text: numbers in the invariant culture, booleans as <c>True</c>/<c>False</c> (Python's), lists and dicts as JSON.</summary>
    public static string Text(object? raw) => raw switch
    {
        null => "",
        string text => text,
        bool flag => flag ? "True" : "False",
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        DateTime time => time.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        _ => DataJson.From(raw)?.ToJsonString() ?? "",
    };

    // The hub's own _dtiso shape first (exact parsing is several times faster than the general parser).
    private static DateTime? ParseTime(string text) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var exact) ? exact
        : DateTime.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
