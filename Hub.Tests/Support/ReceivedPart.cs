namespace Hub.Tests.Support;

/// <summary>A leaf MIME part: its content type, charset, transfer encoding and decoded text (empty for a non-text part, whose bytes are <see cref="Data"/>).</summary>
public sealed record ReceivedPart(string Type, string? Charset, string? TransferEncoding, string Text)
{
    /// <summary>The Content-ID header as sent, e.g. <c>&lt;image1@hub&gt;</c>.</summary>
    public string? ContentId { get; init; }

    /// <summary><c>inline</c>, <c>attachment</c> or null.</summary>
    public string? Disposition { get; init; }

    public string? FileName { get; init; }

    /// <summary>The decoded bytes of a non-text part.</summary>
    public byte[] Data { get; init; } = [];
}
