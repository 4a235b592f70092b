using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hub.Tests.Support;

/// <summary>
/// A stand-in for the Telegram Bot API (core.telegram.org/bots/api) on a <see cref="FakeHttpApi"/>:
/// it answers <c>sendMessage</c>, <c>sendPhoto</c> and <c>getUpdates</c> as the real server does,
/// after checking each request against the documented shape: parameters as JSON or multipart
/// fields, <c>chat_id</c> an integer or <c>@username</c>, <c>text</c> 1-4096 characters, a caption
/// of at most 1024, <c>parse_mode</c> Markdown, MarkdownV2 or HTML, <c>photo</c> an uploaded file
/// (as the part itself or <c>attach://NAME</c>), no parameter the method does not document. A request
/// that breaks the shape gets the real server's 400 <c>Bad Request: …</c> and is listed in
/// <see cref="Problems"/>, so a test asserts <c>Assert.Empty(api.Problems)</c>.
/// </summary>
public sealed class FakeTelegramBotApi : IAsyncDisposable
{
    private static readonly string[] Common = ["chat_id", "business_connection_id", "message_thread_id", "direct_messages_topic_id", "parse_mode", "disable_notification",
        "protect_content", "allow_paid_broadcast", "message_effect_id", "suggested_post_parameters", "reply_parameters", "reply_markup"];

    private static readonly Dictionary<string, string[]> Documented = new(StringComparer.Ordinal)
    {
        ["sendMessage"] = [.. Common, "text", "entities", "link_preview_options"],
        ["sendPhoto"] = [.. Common, "photo", "caption", "caption_entities", "show_caption_above_media", "has_spoiler"],
        ["getUpdates"] = ["offset", "limit", "timeout", "allowed_updates"],
    };

    private readonly FakeHttpApi _http;
    private readonly string _bot;
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeHttpResponse>> _failures = new(StringComparer.Ordinal);
    private int _messageId;

    private FakeTelegramBotApi(FakeHttpApi http, string token)
    {
        _http = http;
        _bot = "/bot" + token;
        foreach (var method in Documented.Keys)
        {
            // The Bot API takes GET and POST alike.
            _http.On("POST", $"{_bot}/{method}", request => Answer(method, request));
            _http.On("GET", $"{_bot}/{method}", request => Answer(method, request));
        }
    }

    /// <summary>The base URL for the plugin's <c>api_url</c>.</summary>
    public string BaseUrl => _http.BaseUrl;

    /// <summary>Every request, in arrival order.</summary>
    public IReadOnlyList<FakeHttpRequest> Requests => _http.Requests;

    /// <summary>Every way a request broke the documented shape, as "method: problem".</summary>
    public IReadOnlyList<string> Problems => [.. _problems];

    /// <summary>The <c>result</c> array <c>getUpdates</c> answers (JSON text of Update objects).</summary>
    public string Updates { get; set; } = "[]";

    public static async Task<FakeTelegramBotApi> StartAsync(string token) => new(await FakeHttpApi.StartAsync(), token);

    /// <summary>The Bot API's error object: <c>{"ok": false, "error_code", "description", "parameters": {"retry_after"}}</c>.</summary>
    public static FakeHttpResponse Error(int code, string description, int? retryAfter = null)
    {
        var body = new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description };
        if (retryAfter is { } seconds)
        {
            body["parameters"] = new JsonObject { ["retry_after"] = seconds };
        }

        return FakeHttpResponse.Json(body.ToJsonString(), code);
    }

    /// <summary>The method name of a request (<c>sendMessage</c>…).</summary>
    public static string Method(FakeHttpRequest request) => request.Path[(request.Path.LastIndexOf('/') + 1)..];

    /// <summary>
    /// The request's parameters whatever their encoding: JSON members as they are, multipart and
    /// query fields as JSON strings (file parts are not parameters).
    /// </summary>
    public static IReadOnlyDictionary<string, JsonElement> Parameters(FakeHttpRequest request)
    {
        var parameters = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (request.Header("Content-Type")?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            foreach (var member in request.Json.EnumerateObject())
            {
                parameters[member.Name] = member.Value.Clone();
            }
        }

        foreach (var part in request.Parts.Where(p => p.FileName is null))
        {
            parameters[part.Name] = JsonSerializer.SerializeToElement(part.Text);
        }

        return parameters;
    }

    /// <summary>The uploaded photo of a <c>sendPhoto</c> request: the file part <c>photo</c> names (<c>attach://NAME</c>), or the part called <c>photo</c>.</summary>
    public static FakeHttpPart? Photo(FakeHttpRequest request)
    {
        var name = Parameters(request).TryGetValue("photo", out var value) && value.ValueKind == JsonValueKind.String
            && value.GetString()!.StartsWith("attach://", StringComparison.Ordinal) ? value.GetString()!["attach://".Length..] : "photo";
        return request.Parts.FirstOrDefault(p => p.Name == name && p.FileName is not null);
    }

    /// <summary>The next answers to <paramref name="method"/>, in order, before the normal ones resume.</summary>
    public void Fail(string method, params FakeHttpResponse[] responses)
    {
        var queue = _failures.GetOrAdd(method, _ => new ConcurrentQueue<FakeHttpResponse>());
        foreach (var response in responses)
        {
            queue.Enqueue(response);
        }
    }

    public ValueTask DisposeAsync() => _http.DisposeAsync();

    private FakeHttpResponse Answer(string method, FakeHttpRequest request)
    {
        var problems = Check(method, request);
        foreach (var problem in problems)
        {
            _problems.Enqueue($"{method}: {problem}");
        }

        if (problems.Count > 0)
        {
            return Error(400, "Bad Request: " + problems[0]);
        }

        if (_failures.TryGetValue(method, out var queue) && queue.TryDequeue(out var failure))
        {
            return failure;
        }

        var parameters = Parameters(request);
        if (method == "getUpdates")
        {
            return FakeHttpResponse.Json($$"""{"ok": true, "result": {{Updates}}}""");
        }

        var chatId = parameters["chat_id"];
        var chat = chatId.ValueKind == JsonValueKind.String && chatId.GetString()!.StartsWith('@')
            ? new JsonObject { ["id"] = -1001000000001, ["type"] = "channel", ["username"] = chatId.GetString()![1..] }
            : new JsonObject { ["id"] = ChatId(chatId), ["type"] = "private", ["first_name"] = "Test" };
        var message = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref _messageId),
            ["date"] = 1_700_000_000,
            ["chat"] = chat,
        };
        if (method == "sendMessage")
        {
            message["text"] = parameters["text"].GetString();
        }
        else
        {
            message["photo"] = new JsonArray(new JsonObject { ["file_id"] = "photo-1", ["file_unique_id"] = "u-1", ["width"] = 1, ["height"] = 1 });
            if (parameters.TryGetValue("caption", out var caption))
            {
                message["caption"] = caption.GetString();
            }
        }

        return FakeHttpResponse.Json(new JsonObject { ["ok"] = true, ["result"] = message }.ToJsonString());
    }

    private static List<string> Check(string method, FakeHttpRequest request)
    {
        var problems = new List<string>();
        IReadOnlyDictionary<string, JsonElement> parameters;
        try
        {
            parameters = Parameters(request);
        }
        catch (JsonException ex)
        {
            return [$"the body is not JSON ({ex.Message})"];
        }

        problems.AddRange(parameters.Keys.Where(k => !Documented[method].Contains(k)).Select(k => $"unknown parameter '{k}'"));
        if (parameters.TryGetValue("parse_mode", out var mode) && mode.GetString() is not ("Markdown" or "MarkdownV2" or "HTML"))
        {
            problems.Add($"unsupported parse_mode {mode}");
        }

        if (method == "getUpdates")
        {
            return problems;
        }

        if (!parameters.TryGetValue("chat_id", out var chatId))
        {
            problems.Add("chat_id is empty");
        }
        else if (!(chatId.ValueKind == JsonValueKind.Number && chatId.TryGetInt64(out _))
            && !(chatId.ValueKind == JsonValueKind.String && (chatId.GetString()!.StartsWith('@') || long.TryParse(chatId.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))))
        {
            problems.Add($"chat_id must be an integer or '@username' (got {chatId})");
        }

        if (method == "sendMessage")
        {
            var text = parameters.TryGetValue("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
            if (text.Length is 0 or > 4096)
            {
                problems.Add(text.Length == 0 ? "message text is empty" : $"message is too long ({text.Length} characters, at most 4096)");
            }

            if (parameters.TryGetValue("link_preview_options", out var preview)
                && (preview.ValueKind != JsonValueKind.Object || preview.EnumerateObject().Any(p => p.Name == "is_disabled" && p.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))))
            {
                problems.Add($"link_preview_options must be a LinkPreviewOptions object (got {preview})");
            }
        }
        else
        {
            if (Photo(request) is null)
            {
                problems.Add("there is no photo in the request (an upload must be multipart/form-data: a file part 'photo', or photo=attach://NAME)");
            }

            if (parameters.TryGetValue("caption", out var caption) && caption.GetString()!.Length > 1024)
            {
                problems.Add($"message caption is too long ({caption.GetString()!.Length} characters, at most 1024)");
            }
        }

        return problems;
    }

    private static long ChatId(JsonElement chatId) =>
        chatId.ValueKind == JsonValueKind.Number ? chatId.GetInt64() : long.Parse(chatId.GetString()!, CultureInfo.InvariantCulture);
}
