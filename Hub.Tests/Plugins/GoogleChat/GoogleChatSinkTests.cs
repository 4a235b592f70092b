using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.GoogleChat;

/// <summary>The googlechat plugin against a local stand-in of a space's incoming webhook.</summary>
public sealed class GoogleChatSinkTests : IAsyncLifetime
{
    private const string SpacePath = "/v1/spaces/AAAA/messages";
    private const string SpaceQuery = "?key=SECRET-key&token=SECRET-token";
    private const string Ok = """{"name": "spaces/AAAA/messages/x.y", "text": "ok"}""";
    private FakeHttpApi _api = null!;

    private string HookUrl => _api.BaseUrl + SpacePath + SpaceQuery;

    public async Task InitializeAsync()
    {
        _api = await FakeHttpApi.StartAsync();
        _api.On("POST", SpacePath, FakeHttpResponse.Json(Ok));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_webhook_gets_the_message_as_text_with_the_title_in_bold()
    {
        await Sink().SendAsync(Item("pump 7 is hot", HookUrl, title: "Pump"), CancellationToken.None);
        await Sink().SendAsync(Item("door open", Some.List(HookUrl)), CancellationToken.None);

        var request = _api.Requests[0];
        Assert.Equal("POST", request.Method);
        Assert.Equal(SpacePath, request.Path);
        Assert.Equal(SpaceQuery, request.Query);
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal("""{"text":"*Pump*\npump 7 is hot"}""", request.BodyText);
        Assert.Equal("""{"text":"door open"}""", _api.Requests[1].BodyText);
    }

    [Fact]
    public async Task A_thread_key_is_formatted_with_the_data_and_asks_for_a_reply_in_that_thread()
    {
        var data = new Dictionary<string, object?> { ["topic"] = "alerts/pump7" };
        await Sink().SendAsync(Item("hot", Some.List(HookUrl, "{topic}"), data: data), CancellationToken.None);
        await Sink(("thread_key", "all-{topic}")).SendAsync(Item("hot", HookUrl, data: data), CancellationToken.None);

        Assert.Equal(SpaceQuery + "&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD", _api.Requests[0].Query);
        Assert.Equal("""{"text":"hot","thread":{"threadKey":"alerts/pump7"}}""", _api.Requests[0].BodyText);
        Assert.Equal("""{"text":"hot","thread":{"threadKey":"all-alerts/pump7"}}""", _api.Requests[1].BodyText);
    }

    [Fact]
    public async Task A_thread_key_naming_missing_data_is_a_permanent_failure()
    {
        var error = await ChatItems.FailureOf(Sink(), Item("x", Some.Dict(("webhook_url", HookUrl), ("thread_key", "{device}"))));

        DeliveryFailures.AssertPermanent(error);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task A_refusal_is_permanent_with_googles_message_and_quota_and_server_errors_are_transient()
    {
        _api.On("POST", SpacePath,
            FakeHttpResponse.Json("""{"error": {"code": 400, "message": "Invalid JSON payload received.", "status": "INVALID_ARGUMENT"}}""", 400),
            FakeHttpResponse.Json("""{"error": {"code": 429, "message": "Resource has been exhausted", "status": "RESOURCE_EXHAUSTED"}}""", 429) with
            {
                Headers = new Dictionary<string, string> { ["Retry-After"] = "30" },
            },
            FakeHttpResponse.Text("backend error", 500));
        var sink = Sink();

        var bad = await ChatItems.FailureOf(sink, Item("x", HookUrl));
        DeliveryFailures.AssertPermanent(bad);
        Assert.Equal("googlechat webhook failed: HTTP 400: Invalid JSON payload received.", bad.Message);
        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, Item("x", HookUrl)), TimeSpan.FromSeconds(30));
        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, Item("x", HookUrl)), null);
    }

    [Fact]
    public async Task A_refused_connection_is_transient()
    {
        var error = await ChatItems.FailureOf(Sink(), Item("x", Loopback.ClosedUrl() + SpacePath + SpaceQuery));

        DeliveryFailures.AssertTransient(error, null);
        Assert.Equal("googlechat webhook failed: could not connect", error.Message);
    }

    [Fact]
    public async Task The_webhook_key_and_token_are_never_logged_nor_in_a_failure()
    {
        _api.On("POST", SpacePath, FakeHttpResponse.Json(Ok), FakeHttpResponse.Json("""{"error": {"code": 403, "message": "The caller does not have permission", "status": "PERMISSION_DENIED"}}""", 403));
        var context = new TestPluginContext();
        var sink = BuiltInPlugins.Create("googlechat", context);
        await sink.SendAsync(Item("x", HookUrl), CancellationToken.None);
        var error = await ChatItems.FailureOf(sink, Item("x", HookUrl));

        DeliveryFailures.AssertPermanent(error);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_is_a_webhook_url_with_an_optional_thread_key()
    {
        Assert.Empty(BuiltInPlugins.Validate("googlechat", "https://chat.googleapis.com/v1/spaces/A/messages?key=k&token=t"));
        Assert.Empty(BuiltInPlugins.Validate("googlechat", Some.List("https://chat.googleapis.com/v1/spaces/A/messages", "{topic}")));
        Assert.Empty(BuiltInPlugins.Validate("googlechat", Some.Dict(("webhook_url", "https://chat.googleapis.com/x"), ("thread_key", "k"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("googlechat", Some.Dict(("thread_key", "k"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("googlechat", Some.Dict(("webhook_url", "https://chat.googleapis.com/x"), ("space", "A"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("googlechat", Some.List("https://chat.googleapis.com/x", "k", "extra")));
        Assert.NotEmpty(BuiltInPlugins.Validate("googlechat", "spaces/A"));
    }

    [Fact]
    public async Task Hub_notify_posts_the_titled_text()
    {
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = googlechat

            [config:googlechat]
            targets = {"{"} 'ops': '{HookUrl}' {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "googlechat:ops", "disk full", "--title", "Disk", "--config", config);

        Assert.True(code == 0, error + output);
        var request = Assert.Single(_api.Requests);
        Assert.Equal(SpaceQuery, request.Query);
        Assert.Equal("""{"text":"*Disk*\ndisk full"}""", request.BodyText);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private static ISink Sink(params (string Key, object? Value)[] options) => BuiltInPlugins.Create("googlechat", new TestPluginContext(Some.Dict(options)));

    private static DeliveryItem Item(string message, object? descriptor, string title = "", IReadOnlyDictionary<string, object?>? data = null) =>
        ChatItems.Item("googlechat", message, descriptor, title, data: data);
}
