namespace Hub.Plugins.Common;

/// <summary>Recognises image payloads by their magic bytes (JPEG, PNG, GIF).</summary>
public static class ImagePayload
{
    /// <summary>The image's MIME type and a file name for uploads, or null when the bytes are not a known image.</summary>
    public static (string MediaType, string FileName)? Detect(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xFF, 0xD8, 0xFF, ..] => ("image/jpeg", "image.jpg"),
        [0x89, 0x50, 0x4E, 0x47, ..] => ("image/png", "image.png"),
        [0x47, 0x49, 0x46, 0x38, ..] => ("image/gif", "image.gif"),
        _ => null,
    };
}
