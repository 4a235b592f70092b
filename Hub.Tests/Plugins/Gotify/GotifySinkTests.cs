using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Gotify;

/// <summary>The gotify plugin against a local stand-in of a Gotify server.</summary>
public sealed class GotifySinkTests : IAsyncLifetime
{
    private const string Token = "ASECRETtoken";
    private const string Created = """{"id": 25, "appid": 5, "message": "x", "title": "y", "priority": 5, "date": "2018-02-27T19:36:10.5045044+01:00"}""";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_message_is_posted_as_json_with_the_application_token_header()
    {
        _api.On("POST", "/message", FakeHttpResponse.Json(Created));
        await Sink(("token", Token)).SendAsync(Item("pump 7 is hot", Some.List(), title: "Alarm", priority: 1), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal(("POST", "/message", ""), (request.Method, request.Path, request.Query));
        Assert.Equal(Token, request.Header("X-Gotify-Key"));
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal("""{"title":"Alarm","message":"pump 7 is hot","priority":8}""", request.BodyText);
    }

    [Theory]
    [InlineData(-2, 0)]
    [InlineData(-1, 2)]
    [InlineData(0, 5)]
    [InlineData(1, 8)]
    [InlineData(2, 10)]
    [InlineData(7, 7)]
    [InlineData(42, 10)]
    public async Task The_priority_is_mapped_onto_gotifys_scale(int priority, int expected)
    {
        _api.On("POST", "/message", FakeHttpResponse.Json(Created));
        await Sink(("token", Token)).SendAsync(Item("x", Some.List(), priority: priority), CancellationToken.None);

        Assert.Equal(expected, Assert.Single(_api.Requests).Json.GetProperty("priority").GetInt32());
    }

    [Fact]
    public async Task A_target_may_bring_its_own_token_and_server()
    {
        await using var other = await FakeHttpApi.StartAsync();
        other.On("POST", "/gotify/message", FakeHttpResponse.Json(Created));
        _api.On("POST", "/message", FakeHttpResponse.Json(Created));
        var sink = Sink(("token", Token));
        await sink.SendAsync(Item("a", Some.List("AOTHER")), CancellationToken.None);
        await sink.SendAsync(Item("b", Some.Dict(("url", other.BaseUrl + "/gotify"), ("token", "ATHIRD"))), CancellationToken.None);

        Assert.Equal("AOTHER", Assert.Single(_api.Requests).Header("X-Gotify-Key"));
        Assert.Equal("ATHIRD", Assert.Single(other.Requests).Header("X-Gotify-Key"));
    }

    [Fact]
    public async Task Markdown_a_click_url_and_data_extras_go_into_extras()
    {
        _api.On("POST", "/message", FakeHttpResponse.Json(Created));
        var data = new Dictionary<string, object?>
        {
            ["message"] = "**hot**",
            ["click"] = "https://home.example.org",
            ["extras"] = Some.Dict(("android::action", Some.Dict(("onReceive", Some.Dict(("intentUrl", "https://x.org")))))),
        };
        await Sink(("token", Token), ("markdown", true)).SendAsync(Item("formatted", Some.List(), data: data), CancellationToken.None);

        Assert.Equal(
            """{"message":"**hot**","priority":5,"extras":{"android::action":{"onReceive":{"intentUrl":"https://x.org"}},"client::display":{"contentType":"text/markdown"},"client::notification":{"click":{"url":"https://home.example.org"}}}}""",
            Assert.Single(_api.Requests).BodyText);
    }

    [Fact]
    public async Task A_refusal_is_permanent_with_gotifys_description()
    {
        _api.On("POST", "/message", FakeHttpResponse.Json("""{"error": "Unauthorized", "errorCode": 401, "errorDescription": "you need to provide a valid access token or user credentials to access this api"}""", 401));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink(("token", Token)).SendAsync(Item("x", Some.List()), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("gotify message failed: HTTP 401: you need to provide a valid access token or user credentials to access this api", error.Message);
    }

    [Theory]
    [InlineData(429, "3", 3)]
    [InlineData(502, null, null)]
    public async Task Rate_limits_and_server_errors_are_transient(int status, string? retryAfter, int? seconds)
    {
        var response = FakeHttpResponse.Text("busy", status);
        _api.On("POST", "/message", retryAfter is null ? response : response with { Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter } });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink(("token", Token)).SendAsync(Item("x", Some.List()), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, seconds is { } s ? TimeSpan.FromSeconds(s) : null);
        Assert.Equal($"gotify message failed: HTTP {status}: busy" + (seconds is null ? "" : $" (retry after {seconds} s)"), error.Message);
    }

    [Fact]
    public async Task An_unreachable_server_is_transient_and_the_token_never_reaches_the_log()
    {
        _api.On("POST", "/message", FakeHttpResponse.Json(Created));
        var context = new TestPluginContext(Some.Dict(("url", _api.BaseUrl), ("token", Token)));
        var sink = BuiltInPlugins.Create("gotify", context);
        await sink.SendAsync(Item("x", Some.List()), CancellationToken.None);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("x", Some.Dict(("url", Loopback.ClosedUrl()))), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_is_a_token_an_empty_list_or_a_dict_and_needs_a_token_from_somewhere()
    {
        var withToken = PushItems.Options(("url", "https://g.example.org"), ("token", Token));
        var withoutToken = PushItems.Options(("url", "https://g.example.org"));
        Assert.Empty(BuiltInPlugins.Validate("gotify", Some.List(), withToken));
        Assert.Empty(BuiltInPlugins.Validate("gotify", Some.List("A1"), withoutToken));
        Assert.Empty(BuiltInPlugins.Validate("gotify", "A1", withoutToken));
        Assert.Empty(BuiltInPlugins.Validate("gotify", Some.Dict(("token", "A1"), ("url", "http://other")), withoutToken));
        Assert.NotEmpty(BuiltInPlugins.Validate("gotify", Some.List(), withoutToken));
        Assert.NotEmpty(BuiltInPlugins.Validate("gotify", Some.List("a", "b"), withToken));
        Assert.NotEmpty(BuiltInPlugins.Validate("gotify", Some.Dict(("url", "gotify.local")), withToken));
        Assert.NotEmpty(BuiltInPlugins.Validate("gotify", Some.Dict(("tokn", "A1")), withToken));
        Assert.Contains(BuiltInPlugins.Activate("gotify", PushItems.Options(("url", "nope"))).Diagnostics, d => d.Key == "url");
    }

    [Fact]
    public async Task Hub_notify_posts_the_message()
    {
        _api.On("POST", "/message", FakeHttpResponse.Json(Created));
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $$"""
            [defaults]
            plugins = '{{Repo.PluginDirectory}}'
            launch = gotify

            [config:gotify]
            url = '{{_api.BaseUrl}}'
            token = '{{Token}}'
            targets = { 'home': [] }
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "gotify:home", "disk full", "--title", "Disk", "--priority", "2", "--config", config);

        Assert.True(code == 0, error + output);
        var request = Assert.Single(_api.Requests);
        Assert.Equal(Token, request.Header("X-Gotify-Key"));
        Assert.Equal("""{"title":"Disk","message":"disk full","priority":10}""", request.BodyText);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private ISink Sink(params (string Key, object? Value)[] options) => BuiltInPlugins.Create("gotify", new TestPluginContext(Some.Dict([("url", _api.BaseUrl), .. options])));

    private static DeliveryItem Item(string message, object? descriptor, string title = "", int priority = 0, IReadOnlyDictionary<string, object?>? data = null) =>
        PushItems.Item("gotify", message, descriptor, title, priority, data);
}
