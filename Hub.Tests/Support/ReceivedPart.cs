namespace Hub.Tests.Support;

/// <summary>A leaf MIME part: its content type, charset, transfer encoding and decoded text.</summary>
public sealed record ReceivedPart(string Type, string? Charset, string? TransferEncoding, string Text);
