namespace Hub.Formatting;

/// <summary>Turns payload JSON into data values (long/BigInteger/double/string/bool/null/list/ordered dict).</summary>
public static class JsonData
{
    /// <summary>The payload's top-level object (trailing NULs removed), or null if the payload is not a JSON object.</summary>
    public static IReadOnlyDictionary<string, object?>? TryParseObject(ReadOnlySpan<byte> payload) => throw new NotImplementedException();
}
