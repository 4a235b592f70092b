using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Sends each message to Pushover (<c>POST {api_url}/1/messages.json</c>), form-encoded, or as
/// multipart with the image as <c>attachment</c> when the data carries one or the payload is one.
/// </summary>
[Plugin("pushover", Description = "Push notifications through Pushover, with images and emergency priority")]
public sealed class PushoverSink(IPluginContext context, PushoverOptions options) : ISink, ITargetBinder
{
    private const string Operation = "pushover messages.json";

    public object BindTarget(string? targetName, object? descriptor) => PushoverTarget.From(descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, PushoverTarget.From, "pushover");
        var image = await ImageAsync(item, cancellationToken);
        var fields = Fields(item, target, image is not null);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.ApiUrl.TrimEnd('/')}/1/messages.json")
        {
            Content = image is { } attachment ? Multipart(fields, attachment) : new FormUrlEncodedContent(fields),
        };
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, Operation, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var (status, errors) = Reply(text);
        if (!response.IsSuccessStatusCode)
        {
            throw HttpDelivery.Failure(Operation, response.StatusCode, errors ?? HttpDelivery.Shorten(text), RetryAfter.From(response, context.TimeProvider));
        }

        if (status != 1)
        {
            throw new PermanentDeliveryException($"{Operation} failed: {errors ?? "status is not 1"}");
        }

        context.Logger.LogDebug("pushover: sent to target {Target}{Image}", item.Target, image is null ? "" : " with an image");
    }

    /// <summary>The form fields in Pushover's names; retry, expire and callback only for emergency priority (2).</summary>
    private List<KeyValuePair<string, string>> Fields(DeliveryItem item, PushoverTarget target, bool hasImage)
    {
        var fields = new List<KeyValuePair<string, string>> { new("token", target.AppToken), new("user", target.UserKey) };
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                fields.Add(new(key, value));
            }
        }

        // mqttwarn: a 'message' in the data replaces the formatted message; an image payload has no text of its own.
        var message = Text(item.Data.GetValueOrDefault("message"))
            ?? (hasImage && ImagePayload.Detect(item.Payload.Span) is not null ? (item.Title.Length > 0 ? item.Title : "image") : item.Message);
        var (html, markup) = Html(item.Data.GetValueOrDefault("html"));
        message = markup ?? message;

        Add("message", message);
        Add("title", item.Title);
        Add("priority", item.Priority.ToString(CultureInfo.InvariantCulture));
        Add("sound", target.Sound);
        Add("device", target.Devices);
        if (item.Priority == 2)
        {
            var retry = Math.Max(30, Number(item.Data.GetValueOrDefault("retry")) ?? options.ApiRetry ?? Environment("PUSHOVER_API_RETRY") ?? 60);
            var expire = Math.Min(10800, Number(item.Data.GetValueOrDefault("expire")) ?? options.ApiExpire ?? Environment("PUSHOVER_API_EXPIRE") ?? 3600);
            Add("retry", retry.ToString(CultureInfo.InvariantCulture));
            Add("expire", expire.ToString(CultureInfo.InvariantCulture));
            Add("callback", options.Callback);
        }

        if (html)
        {
            Add("html", "1");
        }

        Add("url", Text(item.Data.GetValueOrDefault("url")));
        Add("url_title", Text(item.Data.GetValueOrDefault("url_title")));
        return fields;
    }

    private static MultipartFormDataContent Multipart(List<KeyValuePair<string, string>> fields, (byte[] Bytes, string MediaType, string FileName) image)
    {
        var content = new MultipartFormDataContent();
        foreach (var (key, value) in fields)
        {
            content.Add(new StringContent(value, Encoding.UTF8), key);
        }

        var file = new ByteArrayContent(image.Bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(image.MediaType);
        content.Add(file, "attachment", image.FileName);
        return content;
    }

    /// <summary>The attachment: data <c>imageurl</c> (fetched; basic or digest authentication from the data), data <c>imagebase64</c>, or an image payload.</summary>
    private async Task<(byte[] Bytes, string MediaType, string FileName)?> ImageAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        byte[]? bytes = null;
        if (Text(item.Data.GetValueOrDefault("imageurl")) is { } url)
        {
            bytes = await DownloadAsync(url, item.Data, cancellationToken);
        }
        else if (item.Data.GetValueOrDefault("imagebase64") is { } encoded)
        {
            try
            {
                bytes = encoded as byte[] ?? Convert.FromBase64String(Text(encoded) ?? "");
            }
            catch (FormatException)
            {
                throw new PermanentDeliveryException("pushover: data 'imagebase64' is not valid base64");
            }
        }
        else if (ImagePayload.Detect(item.Payload.Span) is not null)
        {
            bytes = item.Payload.ToArray();
        }

        if (bytes is null)
        {
            return null;
        }

        var (mediaType, fileName) = ImagePayload.Detect(bytes) ?? ("image/jpeg", "image.jpg");
        return (bytes, mediaType, fileName);
    }

    private async Task<byte[]> DownloadAsync(string url, IReadOnlyDictionary<string, object?> data, CancellationToken cancellationToken)
    {
        if (!HttpSend.IsHttpUrl(url))
        {
            throw new PermanentDeliveryException("pushover: data 'imageurl' is not an http(s) URL");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        var (user, password) = (Text(data.GetValueOrDefault("user")) ?? "", Text(data.GetValueOrDefault("password")) ?? "");
        switch (Text(data.GetValueOrDefault("auth"))?.ToLowerInvariant())
        {
            case null:
                return await DownloadAsync(context.CreateHttpClient(), request, cancellationToken);
            case "basic":
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
                return await DownloadAsync(context.CreateHttpClient(), request, cancellationToken);
            case "digest":
                // Digest needs the camera's challenge first: the BCL handler answers it, with these credentials for this URL only.
                using (var handler = new SocketsHttpHandler { Credentials = new CredentialCache { { new Uri(url), "Digest", new NetworkCredential(user, password) } } })
                using (var client = new HttpClient(handler, disposeHandler: false))
                {
                    return await DownloadAsync(client, request, cancellationToken);
                }

            default:
                throw new PermanentDeliveryException("pushover: data 'auth' must be 'basic' or 'digest'");
        }
    }

    private async Task<byte[]> DownloadAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await HttpSend.SendAsync(client, request, "pushover image download", cancellationToken);
        await HttpDelivery.EnsureSuccessAsync(response, "pushover image download", context.TimeProvider, cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private static (int? Status, string? Errors) Reply(string text)
    {
        try
        {
            using var reply = JsonDocument.Parse(text);
            var root = reply.RootElement;
            int? status = root.TryGetProperty("status", out var s) && s.TryGetInt32(out var n) ? n : null;
            var errors = root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Array
                ? string.Join("; ", e.EnumerateArray().Select(x => x.ToString()))
                : null;
            return (status, errors);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>Data <c>html</c>: a flag (True, 1) turns HTML on; other text is the HTML message itself (mqttwarn passes it so).</summary>
    private static (bool On, string? Markup) Html(object? value) => value switch
    {
        null => (false, null),
        string s when s.Trim().ToLowerInvariant() is "0" or "1" or "true" or "false" or "yes" or "no" or "on" or "off" => (OptionValues.ToBool(s, "html"), null),
        string s => (true, s),
        _ => (OptionValues.ToText(value) is "True" or "1", null),
    };

    private static int? Number(object? value) => value switch
    {
        long l => (int)Math.Clamp(l, int.MinValue, int.MaxValue),
        double d => (int)d,
        string s when int.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => i,
        _ => null,
    };

    private static int? Environment(string name) => Number(System.Environment.GetEnvironmentVariable(name));

    private static string? Text(object? value) => OptionValues.ToText(value) is { Length: > 0 } text ? text : null;
}
