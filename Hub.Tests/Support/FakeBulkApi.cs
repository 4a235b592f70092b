using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hub.Tests.Support;

/// <summary>
/// A local Elasticsearch/OpenSearch bulk endpoint (<c>POST /_bulk</c>) that checks the request as the real one
/// does: <c>application/x-ndjson</c>, a body of action/document line pairs ending in a line break, each action
/// one of index/create with an <c>_index</c>, each document a JSON object. It stores what it accepts (per index and
/// id; create refuses an existing id with 409) and answers per document like the real one, with partial failures
/// decided by <see cref="Refuse"/>.
/// </summary>
public sealed class FakeBulkApi : IAsyncDisposable
{
    private readonly FakeHttpApi _http;
    private int _generated;

    private FakeBulkApi(FakeHttpApi http)
    {
        _http = http;
        http.On("POST", "/_bulk", Answer);
    }

    public string BaseUrl => _http.BaseUrl;

    public IReadOnlyList<FakeHttpRequest> Requests => _http.Requests;

    /// <summary>Stored documents by index, then id.</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<string, JsonObject>> Indices { get; } = new();

    /// <summary>Decides a document's refusal: null stores it, else (status, error type) is its answer.</summary>
    public Func<JsonObject, (int Status, string Type)?> Refuse { get; set; } = _ => null;

    public static async Task<FakeBulkApi> StartAsync() => new(await FakeHttpApi.StartAsync());

    public ValueTask DisposeAsync() => _http.DisposeAsync();

    private FakeHttpResponse Answer(FakeHttpRequest request)
    {
        if (request.Header("Content-Type") is not { } type || !type.StartsWith("application/x-ndjson", StringComparison.Ordinal))
        {
            return Error(406, "media_type_header_exception", $"Content-Type header [{request.Header("Content-Type")}] is not supported");
        }

        var text = request.BodyText;
        if (!text.EndsWith('\n'))
        {
            return Error(400, "illegal_argument_exception", "The bulk request must be terminated by a newline [\\n]");
        }

        var lines = text[..^1].Split('\n');
        if (lines.Length % 2 != 0)
        {
            return Error(400, "illegal_argument_exception", "Malformed action/metadata line: a document line is missing");
        }

        var items = new JsonArray();
        var errors = false;
        for (var i = 0; i < lines.Length; i += 2)
        {
            JsonObject action, document;
            try
            {
                action = JsonNode.Parse(lines[i]) as JsonObject ?? throw new JsonException("not an object");
                document = JsonNode.Parse(lines[i + 1]) as JsonObject ?? throw new JsonException("not an object");
            }
            catch (JsonException ex)
            {
                return Error(400, "x_content_parse_exception", $"line {i + 1}: {ex.Message}");
            }

            if (action.Count != 1 || action.First() is not { Key: "index" or "create" } op || op.Value is not JsonObject meta
                || meta["_index"]?.GetValue<string>() is not { Length: > 0 } index || index != index.ToLowerInvariant())
            {
                return Error(400, "illegal_argument_exception", $"Malformed action/metadata line [{i + 1}]");
            }

            var id = meta["_id"]?.GetValue<string>() ?? $"generated-{Interlocked.Increment(ref _generated)}";
            var stored = Indices.GetOrAdd(index, _ => new ConcurrentDictionary<string, JsonObject>());
            var (status, error) = Refuse(document) is { } refusal ? refusal
                : op.Key == "create" && stored.ContainsKey(id) ? (409, "version_conflict_engine_exception")
                : (201, null);
            var result = new JsonObject { ["_index"] = index, ["_id"] = id, ["status"] = status };
            if (error is null)
            {
                stored[id] = document;
            }
            else
            {
                errors = true;
                result["error"] = new JsonObject { ["type"] = error, ["reason"] = $"{error} for [{id}]" };
            }

            items.Add(new JsonObject { [op.Key] = result });
        }

        return FakeHttpResponse.Json(new JsonObject { ["took"] = 1, ["errors"] = errors, ["items"] = items }.ToJsonString());
    }

    private static FakeHttpResponse Error(int status, string type, string reason) =>
        FakeHttpResponse.Json(new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["reason"] = reason }, ["status"] = status }.ToJsonString(), status);
}
