using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Storage;

/// <summary>
/// Indexes each message as a document through the bulk API (<c>POST /_bulk</c>, NDJSON) of Elasticsearch
/// or OpenSearch: a JSON object message is the document, any other message becomes <c>{"topic", "message"}</c>;
/// both get the arrival time. The bulk answer is read per document: refusals for now (429, 5xx) fail the batch
/// for a retry, documents refused for good (a mapping conflict) are logged and left out.
/// </summary>
[Plugin("elasticsearch", Description = "Index documents in Elasticsearch or OpenSearch (bulk API)")]
public sealed class ElasticSink(IPluginContext context, ElasticOptions options) : IBatchSink, ITargetBinder
{
    public int MaxBatchSize => 1000;

    public object BindTarget(string? targetName, object? descriptor) => ElasticTarget.From(descriptor);

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => SendBatchAsync([item], cancellationToken);

    public async ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var body = new MemoryStream(items.Count * 256);
        var sent = new List<DeliveryItem>(items.Count);
        foreach (var item in items)
        {
            try
            {
                Append(body, item);
                sent.Add(item);
            }
            catch (FormatException ex)
            {
                if (items.Count == 1)
                {
                    throw new PermanentDeliveryException($"elasticsearch: {ex.Message}", null, ex);
                }

                context.Logger.LogWarning("elasticsearch: message on {Topic} left out of the batch: {Reason}", item.Topic, ex.Message);
            }
        }

        if (sent.Count == 0)
        {
            return;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, options.BulkUrl) { Content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        if (options.ApiKey is { Length: > 0 } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        }
        else if (options.Username is { Length: > 0 } user)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{options.Password}")));
        }

        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, "elasticsearch bulk", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ChatHttp.FailureAsync(response, "elasticsearch bulk", context.TimeProvider,
                json => ChatHttp.Text(json, "error", "reason") ?? ChatHttp.Text(json, "error"), cancellationToken);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var answer = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        CheckItems(answer.RootElement, sent);
    }

    /// <summary>Reads the per-document results of a bulk answer with <c>"errors": true</c>.</summary>
    private void CheckItems(JsonElement answer, List<DeliveryItem> sent)
    {
        if (!answer.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.True)
        {
            return;
        }

        if (!answer.TryGetProperty("items", out var results) || results.GetArrayLength() != sent.Count)
        {
            throw new TransientDeliveryException($"elasticsearch bulk: the answer reports errors but not one result per document ({sent.Count} sent)");
        }

        var retry = 0;
        string? firstRetry = null;
        var index = 0;
        foreach (var result in results.EnumerateArray())
        {
            var item = sent[index++];
            var outcome = result.EnumerateObject().First().Value;
            var status = outcome.TryGetProperty("status", out var code) ? code.GetInt32() : 0;
            if (status is >= 200 and < 300 || status == 409 && result.TryGetProperty("create", out _))
            {
                continue; // 409 on create: the document is there already (a batch sent again)
            }

            var reason = outcome.TryGetProperty("error", out var error) ? ChatHttp.Text(error, "reason") ?? ChatHttp.Text(error, "type") ?? error.ToString() : "no reason given";
            if (status is 429 or >= 500)
            {
                retry++;
                firstRetry ??= $"HTTP {status}: {reason}";
            }
            else
            {
                context.Logger.LogWarning("elasticsearch: document for {Topic} refused (HTTP {Status}): {Reason}", item.Topic, status, reason);
            }
        }

        if (retry > 0)
        {
            throw new TransientDeliveryException($"elasticsearch bulk: {retry} of {sent.Count} documents refused for now, the batch is sent again ({firstRetry})");
        }
    }

    private void Append(MemoryStream body, DeliveryItem item)
    {
        var target = Descriptor.Bound(item, ElasticTarget.From, "elasticsearch");
        var time = ItemTime.Of(item, context.TimeProvider);
        var indexTemplate = target.Index.Contains('{', StringComparison.Ordinal) ? context.Formatter.Format(target.Index, item.Data) : target.Index;
        var metadata = new JsonObject { ["_index"] = ElasticTarget.DatePattern(indexTemplate, time) };
        var id = target.Id is { } idTemplate ? context.Formatter.Format(idTemplate, item.Data) : options.StableIds ? StableId(item, time) : null;
        if (id is not null)
        {
            metadata["_id"] = id;
        }

        var document = Document(item, time);
        using (var writer = new Utf8JsonWriter(body))
        {
            new JsonObject { [target.OpType] = metadata }.WriteTo(writer);
        }

        body.WriteByte((byte)'\n');
        using (var writer = new Utf8JsonWriter(body))
        {
            document.WriteTo(writer);
        }

        body.WriteByte((byte)'\n');
    }

    private JsonObject Document(DeliveryItem item, DateTimeOffset time)
    {
        JsonObject? document = null;
        if (!item.IsBinary && item.Message.StartsWith('{'))
        {
            try
            {
                document = JsonNode.Parse(item.Message) as JsonObject;
            }
            catch (JsonException)
            {
                // not JSON after all: stored as text below
            }
        }

        document ??= new JsonObject { ["topic"] = item.Topic, ["message"] = item.IsBinary ? Convert.ToBase64String(item.MessageBytes.Span) : item.Message };
        if (options.TimestampField.Length > 0 && !document.ContainsKey(options.TimestampField))
        {
            document[options.TimestampField] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        }

        return document;
    }

    /// <summary>The same message (topic, arrival time, payload) always gets the same id: 128 bits of SHA-256, base64url.</summary>
    private static string StableId(DeliveryItem item, DateTimeOffset time)
    {
        var topic = Encoding.UTF8.GetBytes(item.Topic);
        var buffer = new byte[topic.Length + 9 + item.Payload.Length];
        topic.CopyTo(buffer, 0);
        BitConverter.TryWriteBytes(buffer.AsSpan(topic.Length + 1), time.UtcTicks);
        item.Payload.Span.CopyTo(buffer.AsSpan(topic.Length + 9));
        return Convert.ToBase64String(SHA256.HashData(buffer).AsSpan(0, 16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
