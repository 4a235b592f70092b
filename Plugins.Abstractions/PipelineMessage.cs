namespace Hub.Plugins;

/// <summary>A message as a pipeline stage (filter, transform, analytics) sees it.</summary>
public sealed class PipelineMessage
{
    /// <summary>The MQTT topic.</summary>
    public required string Topic { get; init; }

    /// <summary>The raw payload bytes.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>The payload as text (invalid UTF-8 replaced by U+FFFD).</summary>
    public required string PayloadText { get; init; }

    /// <summary>True when the broker delivered it as a retained message.</summary>
    public bool Retained { get; init; }

    /// <summary>The topic section (route) the stage runs for.</summary>
    public required string Section { get; init; }

    /// <summary>A copy of the transformation data built so far (see <see cref="DeliveryItem.Data"/> for value types).</summary>
    public IReadOnlyDictionary<string, object?> Data { get; init; } = new Dictionary<string, object?>();
}
