namespace Hub.Plugins;

/// <summary>
/// MQTT 5.0 properties of a message a plugin publishes (<see cref="IMessagePublisher"/>). A hub connected with
/// MQTT 3.1.1 (<c>protocol = 4</c>) cannot send them and publishes the message without them.
/// </summary>
public sealed class PublishProperties
{
    /// <summary>Seconds after which the broker discards the message if it is not yet delivered; <see langword="null"/>: never.</summary>
    public uint? MessageExpirySeconds { get; init; }

    /// <summary>The payload's content type, e.g. <c>application/json</c>; <see langword="null"/>: none.</summary>
    public string? ContentType { get; init; }

    /// <summary>The topic a receiver should answer on (request/response); <see langword="null"/>: none.</summary>
    public string? ResponseTopic { get; init; }

    /// <summary>Data a receiver copies into its response so the requester can match it; <see langword="null"/>: none.</summary>
    public ReadOnlyMemory<byte>? CorrelationData { get; init; }

    /// <summary><see langword="true"/>: the payload is UTF-8 text (Payload Format Indicator 1); <see langword="null"/>: not said.</summary>
    public bool? PayloadIsUtf8 { get; init; }

    /// <summary>User properties: name/value pairs, sent in order; a name may repeat.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> UserProperties { get; init; } = [];
}
