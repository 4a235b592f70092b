using System.Text;
using System.Text.Json;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Slack;

/// <summary>The slack plugin against a local stand-in of the Web API and of incoming webhooks.</summary>
public sealed class SlackSinkTests : IAsyncLifetime
{
    private const string Token = "xoxb-SECRET-1";
    private const string Ok = """{"ok": true, "channel": "C123", "ts": "1503435956.000247"}""";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task ChatPostMessage_gets_the_bearer_token_the_channel_the_title_and_the_message_as_json()
    {
        _api.On("POST", "/api/chat.postMessage", FakeHttpResponse.Json(Ok));
        await Sink(("token", Token)).SendAsync(Item("pump 7 is hot", Some.List("#ops", "hub", ":robot_face:"), title: "Alarm", priority: 1), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/chat.postMessage", request.Path);
        Assert.Equal("Bearer " + Token, request.Header("Authorization"));
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal(
            """{"channel":"#ops","text":"Alarm","username":"hub","icon_emoji":":robot_face:","attachments":[{"color":"warning","fallback":"pump 7 is hot","title":"Alarm","text":"pump 7 is hot"}]}""",
            request.BodyText);
    }

    [Fact]
    public async Task Each_target_posts_to_its_own_channel_and_a_four_item_target_uses_its_own_token()
    {
        _api.On("POST", "/api/chat.postMessage", FakeHttpResponse.Json(Ok));
        var sink = Sink(("token", Token));
        await sink.SendAsync(Item("a", Some.List("#ops")), CancellationToken.None);
        await sink.SendAsync(Item("b", Some.Dict(("channel", "#alerts"), ("username", "bot"))), CancellationToken.None);
        await sink.SendAsync(Item("c", Some.List("xoxb-OTHER-2", "#general", "hub", ":bell:")), CancellationToken.None);

        Assert.Equal(["#ops", "#alerts", "#general"], _api.Requests.Select(r => r.Json.GetProperty("channel").GetString()));
        Assert.Equal(["Bearer " + Token, "Bearer " + Token, "Bearer xoxb-OTHER-2"], _api.Requests.Select(r => r.Header("Authorization")));
        Assert.False(_api.Requests[0].Json.TryGetProperty("username", out _));
        Assert.Equal("bot", _api.Requests[1].Json.GetProperty("username").GetString());
    }

    [Fact]
    public async Task Without_a_token_the_message_goes_to_the_incoming_webhook()
    {
        _api.On("POST", "/services/T000/B000/XXXX", FakeHttpResponse.Text("ok"));
        await Sink(("webhook_url", _api.BaseUrl + "/services/T000/B000/XXXX")).SendAsync(Item("door open", Some.List("#home"), title: "Door"), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/services/T000/B000/XXXX", request.Path);
        Assert.Null(request.Header("Authorization"));
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal(
            """{"channel":"#home","text":"Door","attachments":[{"color":"good","fallback":"door open","title":"Door","text":"door open"}]}""",
            request.BodyText);
    }

    [Fact]
    public async Task A_targets_webhook_url_wins_over_the_services_token()
    {
        _api.On("POST", "/hooks/team", FakeHttpResponse.Text("ok"));
        await Sink(("token", Token)).SendAsync(Item("x", Some.Dict(("webhook_url", _api.BaseUrl + "/hooks/team"))), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("/hooks/team", request.Path);
        Assert.Null(request.Header("Authorization"));
        Assert.False(request.Json.TryGetProperty("channel", out _));
    }

    [Theory]
    [InlineData(-2, "#a0a0a0")]
    [InlineData(-1, "#a0a0a0")]
    [InlineData(0, "good")]
    [InlineData(1, "warning")]
    [InlineData(2, "danger")]
    public async Task The_attachment_is_coloured_by_priority(int priority, string colour)
    {
        _api.On("POST", "/api/chat.postMessage", FakeHttpResponse.Json(Ok));
        await Sink(("token", Token)).SendAsync(Item("x", Some.List("#ops"), priority: priority), CancellationToken.None);

        Assert.Equal(colour, Assert.Single(_api.Requests).Json.GetProperty("attachments")[0].GetProperty("color").GetString());
    }

    [Fact]
    public async Task A_message_and_an_imageurl_in_the_data_are_used()
    {
        _api.On("POST", "/api/chat.postMessage", FakeHttpResponse.Json(Ok));
        var data = new Dictionary<string, object?> { ["message"] = "from data", ["imageurl"] = "https://example.org/cam.jpg" };
        await Sink(("token", Token)).SendAsync(Item("formatted", Some.List("#ops"), data: data), CancellationToken.None);

        var attachment = Assert.Single(_api.Requests).Json.GetProperty("attachments")[0];
        Assert.Equal("from data", attachment.GetProperty("text").GetString());
        Assert.Equal("https://example.org/cam.jpg", attachment.GetProperty("image_url").GetString());
    }

    [Fact]
    public async Task Ok_false_fails_with_slacks_error()
    {
        _api.On("POST", "/api/chat.postMessage", FakeHttpResponse.Json("""{"ok": false, "error": "channel_not_found"}"""));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink(("token", Token)).SendAsync(Item("x", Some.List("#nope")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("slack chat.postMessage failed: channel_not_found", error.Message);
    }

    [Fact]
    public async Task Too_many_requests_is_transient_and_carries_retry_after()
    {
        _api.On("POST", "/api/chat.postMessage", FakeHttpResponse.Json("""{"ok": false, "error": "ratelimited"}""", 429) with
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = "30" },
        });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink(("token", Token)).SendAsync(Item("x", Some.List("#ops")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, TimeSpan.FromSeconds(30));
        Assert.Contains("HTTP 429", error.Message);
    }

    [Fact]
    public async Task A_refused_webhook_fails_with_the_response_body()
    {
        _api.On("POST", "/hook", FakeHttpResponse.Text("invalid_payload", 400));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink(("webhook_url", _api.BaseUrl + "/hook")).SendAsync(Item("x", Some.List("#a")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("slack webhook failed: HTTP 400: invalid_payload", error.Message);
    }

    [Fact]
    public async Task Tokens_and_webhook_urls_are_never_logged_nor_in_a_failure()
    {
        _api.On("POST", "/api/chat.postMessage", FakeHttpResponse.Json(Ok), FakeHttpResponse.Json("""{"ok": false, "error": "invalid_auth"}"""));
        _api.On("POST", "/SECRET-hook", FakeHttpResponse.Text("ok"));
        var context = Context(("token", Token));
        var sink = BuiltInPlugins.Create("slack", context);
        await sink.SendAsync(Item("x", Some.List("#ops")), CancellationToken.None);
        await sink.SendAsync(Item("x", Some.Dict(("webhook_url", _api.BaseUrl + "/SECRET-hook"))), CancellationToken.None);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("x", Some.List("#ops")), CancellationToken.None).AsTask());

        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_needs_a_token_or_a_webhook_and_a_token_needs_a_channel()
    {
        Assert.NotEmpty(BuiltInPlugins.Validate("slack", Some.List("#ops")));
        Assert.Empty(BuiltInPlugins.Validate("slack", Some.List("#ops"), Options(("token", Token))));
        Assert.Empty(BuiltInPlugins.Validate("slack", Some.List("#ops"), Options(("webhook_url", "https://hooks.slack.com/services/T/B/X"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("slack", Some.Dict(("username", "hub")), Options(("token", Token))));
        Assert.NotEmpty(BuiltInPlugins.Validate("slack", Some.List("a", "b", "c", "d", "e"), Options(("token", Token))));
        Assert.NotEmpty(BuiltInPlugins.Validate("slack", Some.Dict(("webhook_url", "not a url"))));
    }

    [Fact]
    public async Task Hub_notify_posts_with_the_title_and_the_colour_of_its_priority()
    {
        _api.On("POST", "/api/chat.postMessage", FakeHttpResponse.Json(Ok));
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = slack

            [config:slack]
            token = '{Token}'
            api_url = '{_api.BaseUrl}/api'
            targets = {"{"} 'ops': ['#ops', 'hub', ':fire:'] {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "slack:ops", "disk full", "--title", "Disk", "--priority", "2", "--config", config);

        Assert.True(code == 0, error + output);
        var request = Assert.Single(_api.Requests);
        Assert.Equal("Bearer " + Token, request.Header("Authorization"));
        Assert.Equal(
            """{"channel":"#ops","text":"Disk","username":"hub","icon_emoji":":fire:","attachments":[{"color":"danger","fallback":"disk full","title":"Disk","text":"disk full"}]}""",
            request.BodyText);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private static Dictionary<string, object?> Options(params (string Key, object? Value)[] options) => options.ToDictionary(o => o.Key, o => o.Value);

    private TestPluginContext Context(params (string Key, object? Value)[] options) =>
        new(Some.Dict([("api_url", _api.BaseUrl + "/api"), .. options]));

    private ISink Sink(params (string Key, object? Value)[] options) => BuiltInPlugins.Create("slack", Context(options));

    private static DeliveryItem Item(string message, object? descriptor, string title = "", int priority = 0, IReadOnlyDictionary<string, object?>? data = null) => new()
    {
        Service = "slack",
        Section = "t/1",
        Target = "t",
        Addrs = descriptor,
        Topic = "t/1",
        Payload = Encoding.UTF8.GetBytes(message),
        Data = data ?? new Dictionary<string, object?>(),
        Message = message,
        MessageBytes = Encoding.UTF8.GetBytes(message),
        Title = title,
        Priority = priority,
    };
}
