using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>An image the mail carries inline, referenced by its Content-ID (<c>cid:image1@hub</c>).</summary>
public sealed record MailImage(byte[] Bytes, string MediaType, string FileName, string ContentId)
{
    /// <summary>
    /// The item's images, in order: data <c>imagebase64</c> (bytes or base64 text, or a list of them:
    /// the charts of a report), then the payload when it is a JPEG, PNG or GIF image.
    /// </summary>
    public static IReadOnlyList<MailImage> From(DeliveryItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var images = new List<byte[]>();
        var data = item.Data.GetValueOrDefault("imagebase64");
        foreach (var value in data is IReadOnlyList<object?> list ? list : data is null ? [] : [data])
        {
            images.Add(value switch
            {
                byte[] bytes => bytes,
                string text when TryBase64(text, out var decoded) => decoded,
                _ => throw new PermanentDeliveryException("smtp: data 'imagebase64' must be base64 text or bytes (or a list of them)"),
            });
        }

        if (ImagePayload.Detect(item.Payload.Span) is not null)
        {
            images.Add(item.Payload.ToArray());
        }

        return [.. images.Select((bytes, i) =>
        {
            var (mediaType, fileName) = ImagePayload.Detect(bytes) ?? ("application/octet-stream", "attachment.bin");
            var n = i + 1;
            return new MailImage(bytes, mediaType, images.Count == 1 ? fileName : $"{Path.GetFileNameWithoutExtension(fileName)}{n}{Path.GetExtension(fileName)}", $"image{n}@hub");
        })];
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
