using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.RocketChat;

/// <summary>The rocketchat plugin against a local stand-in of the REST API and of incoming webhooks.</summary>
public sealed class RocketChatSinkTests : IAsyncLifetime
{
    private const string Token = "SECRET-pat-1";
    private const string HookPath = "/hooks/abc123/SECRET-hook";
    private const string Ok = """{"ts": 1481748965123, "channel": "ops", "message": {"_id": "7aDSXtjMA3KPLxLjt"}, "success": true}""";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeHttpApi.StartAsync();
        _api.On("POST", "/api/v1/chat.postMessage", FakeHttpResponse.Json(Ok));
        _api.On("POST", HookPath, FakeHttpResponse.Json("""{"success": true}"""));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_channel_target_posts_with_chat_postMessage_and_the_token_headers()
    {
        await Sink().SendAsync(Item("pump 7 is hot", Some.List("#ops", "hub", ":robot:")), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/v1/chat.postMessage", request.Path);
        Assert.Equal(Token, request.Header("X-Auth-Token"));
        Assert.Equal("uid42", request.Header("X-User-Id"));
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal("""{"channel":"#ops","text":"pump 7 is hot","alias":"hub","emoji":":robot:"}""", request.BodyText);
    }

    [Fact]
    public async Task A_titled_message_is_an_attachment_coloured_by_priority()
    {
        await Sink().SendAsync(Item("pump 7 is hot", "@jane", title: "Pump", priority: 2), CancellationToken.None);

        Assert.Equal(
            """{"channel":"@jane","attachments":[{"title":"Pump","text":"pump 7 is hot","color":"#a30200"}]}""",
            Assert.Single(_api.Requests).BodyText);
    }

    [Theory]
    [InlineData(-1, "#a0a0a0")]
    [InlineData(0, "#2eb886")]
    [InlineData(1, "#daa038")]
    [InlineData(2, "#a30200")]
    public async Task The_attachment_colour_follows_the_priority(int priority, string colour)
    {
        await Sink().SendAsync(Item("x", "#ops", title: "T", priority: priority), CancellationToken.None);

        Assert.Equal(colour, Assert.Single(_api.Requests).Json.GetProperty("attachments")[0].GetProperty("color").GetString());
    }

    [Fact]
    public async Task A_webhook_target_posts_to_the_hook_without_the_token_headers()
    {
        await Sink().SendAsync(Item("door open", Some.Dict(("webhook_url", _api.BaseUrl + HookPath), ("alias", "Alarm"), ("avatar", "https://example.org/a.png"))), CancellationToken.None);
        await WebhookOnlySink().SendAsync(Item("door shut", _api.BaseUrl + HookPath), CancellationToken.None);

        Assert.All(_api.Requests, r => Assert.Equal(HookPath, r.Path));
        Assert.All(_api.Requests, r => Assert.Null(r.Header("X-Auth-Token")));
        Assert.Equal("""{"text":"door open","alias":"Alarm","avatar":"https://example.org/a.png"}""", _api.Requests[0].BodyText);
        Assert.Equal("""{"text":"door shut"}""", _api.Requests[1].BodyText);
    }

    [Fact]
    public async Task Success_false_is_a_permanent_failure_with_rocketchats_error()
    {
        _api.On("POST", "/api/v1/chat.postMessage", FakeHttpResponse.Json("""{"success": false, "error": "error-invalid-channel"}""", 400));
        var error = await ChatItems.FailureOf(Sink(), Item("x", "#nope"));

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("rocketchat chat.postMessage failed: HTTP 400: error-invalid-channel", error.Message);
    }

    [Fact]
    public async Task Success_false_with_http_200_is_permanent_too()
    {
        _api.On("POST", "/api/v1/chat.postMessage", FakeHttpResponse.Json("""{"success": false, "error": "room archived"}"""));
        var error = await ChatItems.FailureOf(Sink(), Item("x", "#old"));

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("rocketchat chat.postMessage failed: room archived", error.Message);
    }

    [Fact]
    public async Task Too_many_requests_and_server_errors_are_transient()
    {
        _api.On("POST", "/api/v1/chat.postMessage",
            FakeHttpResponse.Json("""{"success": false, "error": "Error, too many requests."}""", 429) with { Headers = new Dictionary<string, string> { ["Retry-After"] = "12" } },
            FakeHttpResponse.Text("oops", 500));
        var sink = Sink();

        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, Item("x", "#ops")), TimeSpan.FromSeconds(12));
        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, Item("x", "#ops")), null);
    }

    [Fact]
    public async Task A_refused_connection_is_transient()
    {
        var sink = BuiltInPlugins.Create("rocketchat", new TestPluginContext(Some.Dict(("server_url", Loopback.ClosedUrl()), ("user_id", "u"), ("auth_token", Token))));
        var error = await ChatItems.FailureOf(sink, Item("x", "#ops"));

        DeliveryFailures.AssertTransient(error, null);
        Assert.Equal("rocketchat chat.postMessage failed: could not connect", error.Message);
    }

    [Fact]
    public async Task Tokens_and_webhook_urls_are_never_logged_nor_in_a_failure()
    {
        _api.On("POST", "/api/v1/chat.postMessage", FakeHttpResponse.Json(Ok), FakeHttpResponse.Json("""{"status": "error", "message": "You must be logged in to do this."}""", 401));
        var context = Context();
        var sink = BuiltInPlugins.Create("rocketchat", context);
        await sink.SendAsync(Item("x", "#ops"), CancellationToken.None);
        await sink.SendAsync(Item("x", _api.BaseUrl + HookPath), CancellationToken.None);
        var error = await ChatItems.FailureOf(sink, Item("x", "#ops"));

        Assert.Equal("rocketchat chat.postMessage failed: HTTP 401: You must be logged in to do this.", error.Message);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Channel_targets_need_the_rest_api_options_and_webhook_targets_a_valid_url()
    {
        var rest = Some.Dict(("server_url", "https://chat.example.org"), ("user_id", "u"), ("auth_token", "t"));
        Assert.Empty(BuiltInPlugins.Validate("rocketchat", "#ops", rest));
        Assert.Empty(BuiltInPlugins.Validate("rocketchat", Some.List("@jane", "hub", ":bell:"), rest));
        Assert.Empty(BuiltInPlugins.Validate("rocketchat", "https://chat.example.org/hooks/a/b"));
        Assert.Empty(BuiltInPlugins.Validate("rocketchat", Some.Dict(("webhook_url", "https://chat.example.org/hooks/a/b"), ("channel", "#x"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("rocketchat", "#ops"));
        Assert.NotEmpty(BuiltInPlugins.Validate("rocketchat", Some.Dict(("alias", "hub")), rest));
        Assert.NotEmpty(BuiltInPlugins.Validate("rocketchat", Some.Dict(("webhook_url", "not a url"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("rocketchat", Some.Dict(("channel", "#ops"), ("colour", "red")), rest));
        Assert.NotEmpty(BuiltInPlugins.Validate("rocketchat", Some.List("#a", "b", "c", "d"), rest));
        Assert.Null(BuiltInPlugins.Activate("rocketchat", Some.Dict(("server_url", "https://chat.example.org"))).Instance);
    }

    [Fact]
    public async Task Hub_notify_posts_with_chat_postMessage()
    {
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = rocketchat

            [config:rocketchat]
            server_url = '{_api.BaseUrl}'
            user_id = 'uid42'
            auth_token = '{Token}'
            targets = {"{"} 'ops': '#ops' {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "rocketchat:ops", "disk full", "--title", "Disk", "--priority", "2", "--config", config);

        Assert.True(code == 0, error + output);
        var request = Assert.Single(_api.Requests);
        Assert.Equal(Token, request.Header("X-Auth-Token"));
        Assert.Equal("""{"channel":"#ops","attachments":[{"title":"Disk","text":"disk full","color":"#a30200"}]}""", request.BodyText);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private TestPluginContext Context() =>
        new(Some.Dict(("server_url", _api.BaseUrl), ("user_id", "uid42"), ("auth_token", Token)));

    private ISink Sink() => BuiltInPlugins.Create("rocketchat", Context());

    private static ISink WebhookOnlySink() => BuiltInPlugins.Create("rocketchat", new TestPluginContext());

    private static DeliveryItem Item(string message, object? descriptor, string title = "", int priority = 0) =>
        ChatItems.Item("rocketchat", message, descriptor, title, priority);
}
