using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Publishes each message to an ntfy topic: <c>POST</c> to the topic URL with the message as the
/// body and the other fields as <c>X-…</c> headers, or <c>PUT</c> with a local file as the body.
/// Field values come from the data, else the target, else the options (mqttwarn's precedence).
/// </summary>
[Plugin("ntfy", Description = "Publish notifications to an ntfy server (ntfy.sh or self-hosted)")]
public sealed class NtfySink(IPluginContext context, NtfyOptions options) : ISink, ITargetBinder
{
    private const string Operation = "ntfy publish";

    public object BindTarget(string? targetName, object? descriptor) => NtfyTarget.From(descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => NtfyTarget.From(d), "ntfy");

        var fields = Fields(item, target);
        var file = target.File is { } template ? FilePath(template, item.Data) : null;
        using var request = new HttpRequestMessage(file is null ? HttpMethod.Post : HttpMethod.Put, target.Url);
        // A message set by the options, the target or the data wins over the item's (mqttwarn).
        fields.Remove("message", out var message);
        if (file is null)
        {
            // A raw binary payload (decode_utf8 = False) goes as it is: ntfy keeps a binary body as an attachment.
            request.Content = new ByteArrayContent(message is null && item.IsBinary ? item.MessageBytes.ToArray() : Encoding.UTF8.GetBytes(message ?? item.Message));
        }
        else
        {
            request.Content = new ByteArrayContent(await ReadFileAsync(file, cancellationToken));
            fields.TryAdd("filename", Path.GetFileName(file));
            if ((message ?? item.Message) is { Length: > 0 } text)
            {
                fields["message"] = text;
            }
        }

        foreach (var (name, value) in fields)
        {
            request.Headers.TryAddWithoutValidation("X-" + HeaderName(name), HeaderValue(value));
        }

        Authorize(request);
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, Operation, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw HttpDelivery.Failure(Operation, response.StatusCode, ErrorOf(body), RetryAfter.From(response, context.TimeProvider));
        }

        if (file is not null && target.UnlinkFile)
        {
            File.Delete(file);
        }

        context.Logger.LogDebug("ntfy: published for target {Target}{File}", item.Target, file is null ? "" : " with a file attachment");
    }

    /// <summary>The ntfy fields: options, then the target, then the data (later wins), each formatted with all three; then the item's title where unset.</summary>
    private Dictionary<string, string> Fields(DeliveryItem item, NtfyTarget target)
    {
        var configured = context.Options.Where(p => NtfyTarget.FieldNames.Contains(p.Key) && p.Value is not null);
        var fromData = item.Data.Where(p => NtfyTarget.FieldNames.Contains(p.Key) && p.Value is not null);
        var raw = new Dictionary<string, object?>();
        foreach (var (key, value) in configured.Concat(target.Fields.Where(p => p.Value is not null)).Concat(fromData))
        {
            raw[key] = value;
        }

        var all = new Dictionary<string, object?>(context.Options);
        foreach (var (key, value) in (Descriptor.Named(item.Addrs) ?? new Dictionary<string, object?>()).Concat(item.Data))
        {
            all[key] = value;
        }

        var fields = new Dictionary<string, string>();
        foreach (var (key, value) in raw)
        {
            fields[key] = value is string text ? Format(key, text, all) : Text(value);
        }

        if (item.Title.Length > 0)
        {
            fields.TryAdd("title", item.Title);
        }

        return fields;
    }

    private string Format(string key, string template, IReadOnlyDictionary<string, object?> data)
    {
        try
        {
            return context.Formatter.Format(template, data);
        }
        catch (FormatException ex)
        {
            throw new PermanentDeliveryException($"ntfy: formatting the field '{key}' failed: {ex.Message}");
        }
    }

    private string FilePath(string template, IReadOnlyDictionary<string, object?> data)
    {
        string path;
        try
        {
            path = context.Formatter.Format(template, data);
        }
        catch (FormatException ex)
        {
            throw new PermanentDeliveryException($"ntfy: formatting the file path failed: {ex.Message}");
        }

        return Path.GetFullPath(path, context.ConfigDirectory);
    }

    private static async Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // A snapshot may not be written yet: the host's retries replace mqttwarn's file_retry_* settings.
            throw new TransientDeliveryException($"ntfy: the attachment file {path} does not exist (yet)", null, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TransientDeliveryException($"ntfy: reading the attachment file {path} failed: {ex.Message}", null, ex);
        }
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (options.Token is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (options.User is { } user)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{options.Password}")));
        }
    }

    /// <summary><c>unifiedpush</c> → <c>UnifiedPush</c>, else the first letter upper-cased.</summary>
    private static string HeaderName(string field) => field == "unifiedpush" ? "UnifiedPush" : char.ToUpperInvariant(field[0]) + field[1..];

    /// <summary>Line breaks become spaces (a header holds one line); non-ASCII text is an RFC 2047 encoded word, which ntfy decodes.</summary>
    public static string HeaderValue(string value)
    {
        var line = value.ReplaceLineEndings(" ").Trim();
        return line.All(c => c is >= ' ' and <= '~')
            ? line
            : $"=?utf-8?b?{Convert.ToBase64String(Encoding.UTF8.GetBytes(line))}?=";
    }

    private static string Text(object? value) => value switch
    {
        bool b => b ? "yes" : "no",
        _ => OptionValues.ToText(value) ?? "",
    };

    private static string ErrorOf(string body)
    {
        try
        {
            using var reply = JsonDocument.Parse(body);
            if (reply.RootElement.ValueKind == JsonValueKind.Object && reply.RootElement.TryGetProperty("error", out var error))
            {
                return error.ToString();
            }
        }
        catch (JsonException)
        {
        }

        return HttpDelivery.Shorten(body);
    }
}
