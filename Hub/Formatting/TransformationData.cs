namespace Hub.Formatting;

public static class TransformationData
{
    public static OrderedDictionary<string, object?> Create(string topic, ReadOnlySpan<byte> payload, DateTimeOffset now, TimeZoneInfo local) => throw new NotImplementedException();
}
