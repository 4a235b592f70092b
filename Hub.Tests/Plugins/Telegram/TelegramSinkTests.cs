using System.Text;
using System.Text.Json;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Telegram;

/// <summary>
/// The telegram plugin (on Telegram.Bot) against a local stand-in of the Bot API that checks each
/// request's documented shape, request by request.
/// </summary>
public sealed class TelegramSinkTests : IAsyncLifetime
{
    private const string Token = "4242:SECRET-token";
    private const string Bot = "/bot" + Token;
    private FakeTelegramBotApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeTelegramBotApi.StartAsync(Token);

    public async Task DisposeAsync()
    {
        Assert.Empty(_api.Problems); // every request had the documented shape
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task A_message_goes_to_sendMessage_as_json_without_parse_mode_when_it_is_unset()
    {
        await Sink().SendAsync(Item("hello *world*", "#123456"), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(Bot + "/sendMessage", request.Path);
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        var parameters = FakeTelegramBotApi.Parameters(request);
        Assert.Equal(["chat_id", "text"], parameters.Keys.Order(StringComparer.Ordinal));    // no parse_mode: plain text
        Assert.Equal(123456, parameters["chat_id"].GetInt64());
        Assert.Equal("hello *world*", parameters["text"].GetString());
    }

    [Fact]
    public async Task Parse_mode_and_disable_web_page_preview_are_sent_when_set()
    {
        await Sink(("parse_mode", "MarkdownV2"), ("disable_web_page_preview", true)).SendAsync(Item("*hi*", "#1"), CancellationToken.None);

        var parameters = FakeTelegramBotApi.Parameters(Assert.Single(_api.Requests));
        Assert.Equal("MarkdownV2", parameters["parse_mode"].GetString());
        Assert.True(parameters["link_preview_options"].GetProperty("is_disabled").GetBoolean());    // Bot API 7.0's form of disable_web_page_preview
    }

    [Fact]
    public async Task An_at_username_is_sent_as_the_chat_id_as_it_is()
    {
        await Sink().SendAsync(Item("hi", "@my_channel"), CancellationToken.None);

        Assert.Equal("@my_channel", Assert.Single(_api.Requests).Json.GetProperty("chat_id").GetString());
    }

    [Theory]
    [InlineData("-1001234567890", false, -1001234567890L)]
    [InlineData("#-1001234567890", false, -1001234567890L)]
    [InlineData("987654", true, 987654L)]
    public async Task A_chat_id_is_sent_as_a_number(string contact, bool useChatId, long expected)
    {
        object? descriptor = contact.StartsWith('#') || useChatId ? Some.List(contact) : Some.List(long.Parse(contact, System.Globalization.CultureInfo.InvariantCulture));
        await Sink(("use_chat_id", useChatId)).SendAsync(Item("hi", descriptor), CancellationToken.None);

        var chatId = Assert.Single(_api.Requests).Json.GetProperty("chat_id");
        Assert.Equal(JsonValueKind.Number, chatId.ValueKind);
        Assert.Equal(expected, chatId.GetInt64());
    }

    [Fact]
    public async Task A_first_name_is_resolved_once_with_getUpdates()
    {
        _api.Updates = """
            [
              {"update_id": 1, "message": {"message_id": 5, "date": 1700000000, "from": {"id": 111, "is_bot": false, "first_name": "Bob"}, "chat": {"id": 111, "type": "private", "first_name": "Bob"}, "text": "hi"}},
              {"update_id": 2, "message": {"message_id": 6, "date": 1700000001, "from": {"id": 222, "is_bot": false, "first_name": "Jane", "username": "jane_d"}, "chat": {"id": 222, "type": "private", "first_name": "Jane"}, "text": "hi"}}
            ]
            """;
        var sink = Sink();
        await sink.SendAsync(Item("one", "Jane"), CancellationToken.None);
        await sink.SendAsync(Item("two", "Jane"), CancellationToken.None);

        Assert.Equal(["getUpdates", "sendMessage", "sendMessage"], _api.Requests.Select(FakeTelegramBotApi.Method));
        Assert.All(_api.Requests.Skip(1), r => Assert.Equal(222, r.Json.GetProperty("chat_id").GetInt64()));
    }

    [Fact]
    public async Task A_name_not_in_the_updates_fails_and_says_which()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("hi", "Nobody"), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Contains("'Nobody'", error.Message);
        Assert.DoesNotContain(_api.Requests, r => r.Path.EndsWith("/sendMessage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_long_message_is_split_at_line_breaks_into_messages_of_at_most_4096_characters()
    {
        var lines = Enumerable.Range(0, 300).Select(i => $"line {i:000} " + new string('x', 40)).ToList();    // 300 × 49 characters
        var message = string.Join('\n', lines);
        await Sink().SendAsync(Item(message, "#1"), CancellationToken.None);

        var texts = _api.Requests.Select(r => r.Json.GetProperty("text").GetString()!).ToList();
        Assert.Equal(4, texts.Count);
        Assert.All(texts, t => Assert.InRange(t.Length, 1, 4096));
        Assert.All(texts, t => Assert.StartsWith("line ", t, StringComparison.Ordinal));    // cut at line breaks, not mid-line
        Assert.Equal(message, string.Join('\n', texts));
    }

    [Fact]
    public async Task A_long_line_without_breaks_is_cut_at_the_limit()
    {
        var message = new string('a', 4096) + new string('b', 4096) + "c";
        await Sink().SendAsync(Item(message, "#1"), CancellationToken.None);

        Assert.Equal([new string('a', 4096), new string('b', 4096), "c"], _api.Requests.Select(r => r.Json.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task A_cut_at_the_limit_never_splits_a_surrogate_pair()
    {
        var message = new string('a', 4095) + "😀b";
        await Sink().SendAsync(Item(message, "#1"), CancellationToken.None);

        Assert.Equal([new string('a', 4095), "😀b"], _api.Requests.Select(r => r.Json.GetProperty("text").GetString()));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10 }, "image.jpg")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "image.png")]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 }, "image.gif")]
    public async Task An_image_payload_goes_to_sendPhoto_as_multipart_with_the_title_as_caption(byte[] image, string fileName)
    {
        await Sink().SendAsync(Item("(binary)", "#77", title: "Snapshot from cam1", payload: image), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(Bot + "/sendPhoto", request.Path);
        Assert.StartsWith("multipart/form-data; boundary=", request.Header("Content-Type"), StringComparison.Ordinal);
        var parameters = FakeTelegramBotApi.Parameters(request);
        Assert.Equal(["caption", "chat_id", "photo"], parameters.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("77", parameters["chat_id"].GetString());
        Assert.Equal("Snapshot from cam1", parameters["caption"].GetString());
        var photo = FakeTelegramBotApi.Photo(request)!;
        Assert.Equal(fileName, photo.FileName);    // the type travels in the name's extension; Telegram.Bot sends every upload as application/octet-stream
        Assert.Equal("application/octet-stream", photo.ContentType);
        Assert.Equal(image, photo.Body);
    }

    [Fact]
    public async Task A_caption_longer_than_1024_characters_is_shortened()
    {
        await Sink().SendAsync(Item("x", "#1", title: new string('t', 2000), payload: [0xFF, 0xD8, 0xFF, 0xDB]), CancellationToken.None);

        var caption = FakeTelegramBotApi.Parameters(Assert.Single(_api.Requests))["caption"].GetString()!;
        Assert.Equal(1024, caption.Length);
        Assert.EndsWith("…", caption, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_error_fails_with_the_apis_description()
    {
        _api.Fail("sendMessage", FakeTelegramBotApi.Error(400, "Bad Request: chat not found"));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("hi", "#1"), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("telegram sendMessage failed: HTTP 400: Bad Request: chat not found", error.Message);
    }

    [Fact]
    public async Task Too_many_requests_is_transient_and_carries_the_apis_retry_after()
    {
        _api.Fail("sendMessage", FakeTelegramBotApi.Error(429, "Too Many Requests: retry after 7", retryAfter: 7) with
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = "7" },
        });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("hi", "#1"), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, TimeSpan.FromSeconds(7));
        Assert.Contains("HTTP 429: Too Many Requests: retry after 7", error.Message);
    }

    [Fact]
    public async Task A_proxys_429_without_the_apis_json_is_transient_with_its_retry_after_header()
    {
        _api.Fail("sendMessage", FakeHttpResponse.Text("slow down", 429) with { Headers = new Dictionary<string, string> { ["Retry-After"] = "12" } });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("hi", "#1"), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, TimeSpan.FromSeconds(12));
        Assert.Contains("HTTP 429", error.Message);
    }

    [Fact]
    public async Task An_api_that_cannot_be_reached_is_transient_and_the_failure_holds_no_token()
    {
        var context = new TestPluginContext(Some.Dict(("token", Token), ("api_url", $"http://127.0.0.1:{Loopback.ClosedPort()}")));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => BuiltInPlugins.Create("telegram", context).SendAsync(Item("hi", "#1"), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.Equal("telegram sendMessage failed: could not connect", error.Message);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_error_is_transient()
    {
        _api.Fail("sendMessage", FakeHttpResponse.Text("<html>Bad Gateway</html>", 502));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("hi", "#1"), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.Contains("HTTP 502", error.Message);
    }

    [Fact]
    public async Task The_token_is_never_logged_nor_in_a_failure()
    {
        var context = Context();
        var sink = BuiltInPlugins.Create("telegram", context);
        await sink.SendAsync(Item("hi", "#1"), CancellationToken.None);
        _api.Fail("sendMessage", FakeTelegramBotApi.Error(403, "Forbidden: bot was blocked by the user"));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("hi", "#1"), CancellationToken.None).AsTask());

        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_target_without_exactly_one_contact_is_a_configuration_error(bool useChatId)
    {
        Assert.NotEmpty(BuiltInPlugins.Validate("telegram", Some.List(), Options(useChatId)));
        Assert.NotEmpty(BuiltInPlugins.Validate("telegram", Some.List("a", "b"), Options(useChatId)));
    }

    [Fact]
    public void With_use_chat_id_a_contact_must_be_numeric()
    {
        Assert.NotEmpty(BuiltInPlugins.Validate("telegram", Some.List("Jane"), Options(true)));
        Assert.Empty(BuiltInPlugins.Validate("telegram", Some.List("-100123"), Options(true)));
        Assert.NotEmpty(BuiltInPlugins.Validate("telegram", Some.List("#abc"), Options(false)));
    }

    [Theory]
    [InlineData("token", "no-colon-token", "must look like 123456789:AA")]
    [InlineData("api_url", "http://127.0.0.1:8081/telegram", "without a path")]
    public void A_token_telegram_cannot_read_or_an_api_url_with_a_path_is_a_configuration_error(string key, string value, string problem)
    {
        var activation = BuiltInPlugins.Activate("telegram", Some.Dict([("token", Token), (key, value)]));
        Assert.Null(activation.Instance);
        var diagnostic = Assert.Single(activation.Diagnostics, d => d.Key == key);
        Assert.Contains(problem, diagnostic.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("no-colon", diagnostic.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_parse_mode_is_a_configuration_error()
    {
        var activation = BuiltInPlugins.Activate("telegram", Some.Dict(("token", Token), ("parse_mode", "markdown2")));
        Assert.Contains(activation.Diagnostics, d => d.Key == "parse_mode");
    }

    [Fact]
    public async Task Hub_notify_sends_through_a_bot_configured_in_hub_ini()
    {
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = telegram

            [config:telegram]
            token = '{Token}'
            api_url = '{_api.BaseUrl}'
            use_chat_id = True
            targets = {"{"} 'ops': ['-100123'] {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "telegram:ops", "disk full", "--config", config);

        Assert.True(code == 0, error + output);
        var parameters = FakeTelegramBotApi.Parameters(Assert.Single(_api.Requests));
        Assert.Equal((-100123L, "disk full"), (parameters["chat_id"].GetInt64(), parameters["text"].GetString()));
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private static Dictionary<string, object?> Options(bool useChatId) => new() { ["token"] = Token, ["use_chat_id"] = useChatId };

    private TestPluginContext Context(params (string Key, object? Value)[] extra) =>
        new(Some.Dict([("token", Token), ("api_url", _api.BaseUrl), .. extra]));

    private ISink Sink(params (string Key, object? Value)[] extra) => BuiltInPlugins.Create("telegram", Context(extra));

    private static DeliveryItem Item(string message, object? descriptor, string title = "hub: t/1", byte[]? payload = null) => new()
    {
        Service = "telegram",
        Section = "t/1",
        Target = "t",
        Addrs = descriptor as IReadOnlyList<object?> ?? Some.List(descriptor),
        Topic = "t/1",
        Payload = payload ?? Encoding.UTF8.GetBytes(message),
        Message = message,
        MessageBytes = Encoding.UTF8.GetBytes(message),
        Title = title,
    };
}
