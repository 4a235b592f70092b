namespace Hub.Plugins;

/// <summary>
/// One notification for one target, fully prepared by the host.
/// </summary>
/// <remarks>
/// Values in <see cref="Data"/>, <see cref="Config"/> and <see cref="Addrs"/> are one of:
/// <see cref="string"/>, <see cref="long"/>, <see cref="System.Numerics.BigInteger"/> (integers beyond 64 bits),
/// <see cref="double"/>, <see cref="bool"/>, <see langword="null"/>, <see cref="T:byte[]"/>,
/// <see cref="IReadOnlyList{T}"/> of values, or <see cref="IReadOnlyDictionary{TKey, TValue}"/> with
/// string keys (in insertion order).
/// </remarks>
public sealed class DeliveryItem
{
    /// <summary>The service instance name (<c>[config:NAME]</c>).</summary>
    public required string Service { get; init; }

    /// <summary>The topic section that produced the item (<c>failover</c> for hub events).</summary>
    public required string Section { get; init; }

    /// <summary>The target name, or <see langword="null"/> for a service's single unnamed target.</summary>
    public string? Target { get; init; }

    /// <summary>The target descriptor from <c>[config:NAME] targets</c>: a list, an object, a text, or an empty list.</summary>
    public object? Addrs { get; init; }

    /// <summary>
    /// The target as the sink's <see cref="ITargetBinder"/> bound it when the configuration was built (the same object
    /// for every item to this target); <see langword="null"/> when the sink has no binder or the item was not made by
    /// the host (a test calling <see cref="ISink.SendAsync"/> directly).
    /// </summary>
    public object? Bound { get; init; }

    /// <summary>The instance options (the same as <see cref="IPluginContext.Options"/>).</summary>
    public IReadOnlyDictionary<string, object?> Config { get; init; } = EmptyData;

    /// <summary>The MQTT topic of the message (the event name for hub events).</summary>
    public required string Topic { get; init; }

    /// <summary>The raw payload bytes as received.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>A copy of the transformation data (topic, payload, time keys, JSON fields, function results).</summary>
    public IReadOnlyDictionary<string, object?> Data { get; init; } = EmptyData;

    /// <summary>The formatted message as text. For a binary pass-through, a lossy decoding of <see cref="MessageBytes"/>.</summary>
    public required string Message { get; init; }

    /// <summary>The exact bytes of the message: the UTF-8 of <see cref="Message"/>, or the raw payload when <see cref="IsBinary"/>.</summary>
    public ReadOnlyMemory<byte> MessageBytes { get; init; }

    /// <summary>True when the service has <c>decode_utf8 = False</c> and the message is the raw payload.</summary>
    public bool IsBinary { get; init; }

    /// <summary>The formatted title (default <c>hub: TOPIC</c>).</summary>
    public string Title { get; init; } = "";

    /// <summary>The formatted image reference (empty when not set).</summary>
    public string Image { get; init; } = "";

    /// <summary>The priority (default 0).</summary>
    public int Priority { get; init; }

    private static readonly IReadOnlyDictionary<string, object?> EmptyData = new Dictionary<string, object?>();
}
