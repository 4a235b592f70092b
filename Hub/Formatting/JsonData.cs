using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Hub.Formatting;

/// <summary>Turns payload JSON into data values (long/BigInteger/double/string/bool/null/list/ordered dict).</summary>
public static class JsonData
{
    /// <summary>Deeper nesting makes the payload non-JSON (Python gives up near 1,000 levels).</summary>
    public const int MaxDepth = 256;

    /// <summary>Python 3.11 refuses integers longer than this (<c>sys.int_info.default_max_str_digits</c>).</summary>
    private const int MaxIntegerDigits = 4300;

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>The payload's top-level object (trailing NULs removed), or null if the payload is not a JSON object.</summary>
    public static IReadOnlyDictionary<string, object?>? TryParseObject(ReadOnlySpan<byte> payload) =>
        TryParseObject(payload, out _);

    /// <summary>As <see cref="TryParseObject(ReadOnlySpan{byte})"/>, with the reason when the result is null.</summary>
    public static IReadOnlyDictionary<string, object?>? TryParseObject(ReadOnlySpan<byte> payload, out string? error)
    {
        var members = TryParseMembers(payload, out error);
        if (members is null)
        {
            return null;
        }

        var map = new OrderedDictionary<string, object?>(members.Count, StringComparer.Ordinal);
        foreach (var (key, value) in members)
        {
            map[key] = value;
        }

        return map;
    }

    /// <summary>
    /// Merges the members of the payload's top-level object into <paramref name="data"/> in order (a later key overwrites,
    /// keeping its place), as merging the dictionary of <see cref="TryParseObject(ReadOnlySpan{byte}, out string?)"/> would,
    /// without building that dictionary (this runs for every message a formatted route renders). Nothing is merged when
    /// the payload is not a JSON object.
    /// </summary>
    public static bool TryMergeObject(OrderedDictionary<string, object?> data, ReadOnlySpan<byte> payload, out string? error)
    {
        ArgumentNullException.ThrowIfNull(data);
        var members = TryParseMembers(payload, out error);
        if (members is null)
        {
            return false;
        }

        foreach (var (key, value) in members)
        {
            data[key] = value;
        }

        return true;
    }

    /// <summary>
    /// The top-level members in payload order (duplicates kept: the last of a key is its value), copied, or null with the
    /// reason when the payload is not a JSON object: what <see cref="TryMergeObject"/> would merge, for a reader that
    /// needs a few keys and no dictionary.
    /// </summary>
    public static KeyValuePair<string, object?>[]? TryReadMembers(ReadOnlySpan<byte> payload, out string? error) =>
        TryParseMembers(payload, out error)?.ToArray();

    /// <summary>The top-level members in payload order (duplicates kept), or null; the list is this thread's, reused.</summary>
    private static List<KeyValuePair<string, object?>>? TryParseMembers(ReadOnlySpan<byte> payload, out string? error)
    {
        var end = payload.Length;
        while (end > 0 && payload[end - 1] == 0)
        {
            end--;
        }

        payload = payload[..end];
        var trimmed = payload.Trim(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] != (byte)'{' || trimmed[^1] != (byte)'}')
        {
            // Most payloads that are not JSON objects (numbers, text) are told apart here, without
            // paying for the reader's exception on invalid input.
            error = "payload is not a JSON object";
            return null;
        }

        if (!Utf8.IsValid(payload))
        {
            error = "payload is not valid UTF-8";
            return null;
        }

        if (payload.StartsWith("\uFEFF"u8))
        {
            error = "unexpected UTF-8 BOM";
            return null;
        }

        try
        {
            var members = Parse(payload);
            error = members is null ? "payload is not a JSON object" : null;
            return members;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            error = exception.Message;
            return null;
        }
    }

    [ThreadStatic]
    private static List<KeyValuePair<string, object?>>? _members;

    [ThreadStatic]
    private static Stack<object>? _containers;

    private static List<KeyValuePair<string, object?>>? Parse(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        // The root's members go to a list (the caller merges them), nested objects to dictionaries of their own.
        var root = _members is { Capacity: <= 1024 } reused ? reused : _members = new List<KeyValuePair<string, object?>>(16);
        root.Clear();
        var containers = _containers ??= new Stack<object>();
        containers.Clear();
        containers.Push(root);
        string? pendingKey = null;
        while (containers.Count > 0)
        {
            if (!reader.Read())
            {
                throw new JsonException("unexpected end of JSON");
            }

            object? value;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pendingKey = containers.Count == 1 ? ReadRootKey(ref reader, root.Count) : ReadString(ref reader);
                    continue;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    containers.Pop();
                    continue;
                case JsonTokenType.StartObject:
                    value = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                    break;
                case JsonTokenType.StartArray:
                    value = new List<object?>();
                    break;
                case JsonTokenType.String:
                    value = ReadString(ref reader);
                    break;
                case JsonTokenType.Number:
                    value = ReadNumber(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
                    break;
                case JsonTokenType.True:
                    value = true;
                    break;
                case JsonTokenType.False:
                    value = false;
                    break;
                case JsonTokenType.Null:
                    value = null;
                    break;
                default:
                    throw new JsonException($"unexpected token {reader.TokenType}");
            }

            switch (containers.Peek())
            {
                case List<KeyValuePair<string, object?>> members:
                    members.Add(new(pendingKey!, value));
                    break;
                case OrderedDictionary<string, object?> map:
                    map[pendingKey!] = value;
                    break;
                case List<object?> list:
                    list.Add(value);
                    break;
            }

            if (value is OrderedDictionary<string, object?> or List<object?>)
            {
                containers.Push(value);
            }
        }

        // Anything but whitespace after the object makes the payload invalid.
        return reader.Read() ? throw new JsonException("extra data after the JSON object") : root;
    }

    [ThreadStatic]
    private static string?[]? _rootKeys;

    /// <summary>
    /// A key of the top-level object: the string this thread read at the same place last time when the bytes are the
    /// same (a sensor's payloads repeat their keys), else read anew. Saves a string per key and message.
    /// </summary>
    private static string ReadRootKey(ref Utf8JsonReader reader, int index)
    {
        var keys = _rootKeys ??= new string?[16];
        if (index < keys.Length && keys[index] is { } known && !reader.ValueIsEscaped && reader.ValueTextEquals(known))
        {
            return known;
        }

        var key = ReadString(ref reader);
        if (index < keys.Length)
        {
            keys[index] = key;
        }

        return key;
    }

    private static string ReadString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException) when (reader.ValueIsEscaped)
        {
            // Lone surrogate escapes: Python keeps them as they are, and so does a .NET string.
            return JsonStringDecoder.Decode(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
        }
    }

    private static object ReadNumber(ReadOnlySpan<byte> token)
    {
        if (token.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0)
        {
            return double.Parse(Encoding.ASCII.GetString(token), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        var digitCount = token.Length - (token[0] == '-' ? 1 : 0);
        if (digitCount > MaxIntegerDigits)
        {
            throw new FormatException($"integer exceeds the limit of {MaxIntegerDigits} digits");
        }

        return BigInteger.Parse(Encoding.ASCII.GetString(token), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }
}
