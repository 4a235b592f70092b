using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Hub.Formatting;

/// <summary>Builds a message's transformation data: the built-in keys and the merges of mqttwarn-compat §6.2–6.3.</summary>
public static class TransformationData
{
    /// <summary>
    /// The built-in keys: <c>topic</c>, <c>payload</c> (UTF-8 text, or the raw bytes if not valid UTF-8),
    /// <c>_dtepoch</c>, <c>_dtiso</c> (UTC), <c>_ltiso</c>, <c>_dthhmm</c>, <c>_dthhmmss</c> (local), all from one timestamp.
    /// </summary>
    public static OrderedDictionary<string, object?> Create(string topic, ReadOnlySpan<byte> payload, DateTimeOffset now, TimeZoneInfo local)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(local);
        var (dtIso, ltIso, hhMm, hhMmSs) = TimeKeys.For(now, local);
        return new OrderedDictionary<string, object?>(12, StringComparer.Ordinal)
        {
            ["topic"] = topic,
            ["payload"] = DecodePayload(payload),
            ["_dtepoch"] = now.ToUnixTimeSeconds(),
            ["_dtiso"] = dtIso,
            ["_ltiso"] = ltIso,
            ["_dthhmm"] = hhMm,
            ["_dthhmmss"] = hhMmSs,
        };
    }

    /// <summary>
    /// One of the keys <see cref="Create"/> puts in the data, computed alone (for a reader that needs a few keys and no
    /// dictionary); false for any other key. Keep the two in step.
    /// </summary>
    public static bool TryGetCreated(string key, string topic, ReadOnlySpan<byte> payload, DateTimeOffset now, TimeZoneInfo local, out object? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(local);
        switch (key)
        {
            case "topic":
                value = topic;
                return true;
            case "payload":
                value = DecodePayload(payload);
                return true;
            case "_dtepoch":
                value = now.ToUnixTimeSeconds();
                return true;
            case "_dtiso" or "_ltiso" or "_dthhmm" or "_dthhmmss":
                var (dtIso, ltIso, hhMm, hhMmSs) = TimeKeys.For(now, local);
                value = key switch { "_dtiso" => dtIso, "_ltiso" => ltIso, "_dthhmm" => hhMm, _ => hhMmSs };
                return true;
            default:
                value = null;
                return false;
        }
    }

    /// <summary>The payload as Python's <c>payload.decode("utf-8")</c> would give it, or the raw bytes.</summary>
    public static object DecodePayload(ReadOnlySpan<byte> payload) =>
        Utf8.IsValid(payload) ? Encoding.UTF8.GetString(payload) : payload.ToArray();

    /// <summary>
    /// Merges the payload's top-level JSON object into <paramref name="data"/> (later keys overwrite).
    /// Returns false, with the reason, when the payload is not a JSON object; nothing is merged then.
    /// </summary>
    public static bool MergeJson(OrderedDictionary<string, object?> data, ReadOnlySpan<byte> payload, out string? error)
    {
        ArgumentNullException.ThrowIfNull(data);
        return JsonData.TryMergeObject(data, payload, out error);
    }

    /// <summary>Plain key overwrite of <paramref name="source"/> into <paramref name="data"/> (datamap and alldata results).</summary>
    public static void Merge(OrderedDictionary<string, object?> data, IReadOnlyDictionary<string, object?> source)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(source);
        foreach (var (key, value) in source)
        {
            data[key] = value;
        }
    }

    /// <summary>A deep copy: nested objects, lists and bytes are copied, so changes to the copy cannot leak back.</summary>
    public static OrderedDictionary<string, object?> Copy(IReadOnlyDictionary<string, object?> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var copy = new OrderedDictionary<string, object?>(data.Count, StringComparer.Ordinal);
        foreach (var (key, value) in data)
        {
            copy.Add(key, CopyValue(value));
        }

        return copy;
    }

    private static object? CopyValue(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> map => Copy(map),
        byte[] bytes => bytes.ToArray(),
        IReadOnlyList<object?> list => list.Select(CopyValue).ToList(),
        _ => value,
    };
}
