using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Webex;

/// <summary>The webex plugin against a local stand-in of the Webex Messages API.</summary>
public sealed class WebexSinkTests : IAsyncLifetime
{
    private const string Token = "SECRET-bot-token";
    private const string Room = "Y2lzY29zcGFyazovL3VzL1JPT00vYWJj";
    private const string Ok = """{"id": "Y2lz…", "roomId": "Y2lzY29zcGFyazovL3VzL1JPT00vYWJj", "roomType": "group", "text": "x"}""";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeHttpApi.StartAsync();
        _api.On("POST", "/v1/messages", FakeHttpResponse.Json(Ok));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_room_message_is_posted_with_the_bearer_token_and_plain_text()
    {
        await Sink().SendAsync(Item("pump 7 is hot", Room), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/messages", request.Path);
        Assert.Equal("Bearer " + Token, request.Header("Authorization"));
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal($$"""{"roomId":"{{Room}}","text":"pump 7 is hot"}""", request.BodyText);
    }

    [Fact]
    public async Task An_email_target_goes_to_the_person_and_a_title_makes_markdown()
    {
        await Sink().SendAsync(Item("pump 7 is hot", Some.List("jane@example.org"), title: "Pump"), CancellationToken.None);
        await Sink().SendAsync(Item("door", Some.Dict(("person_email", "joe@example.org"))), CancellationToken.None);
        await Sink().SendAsync(Item("door", Some.Dict(("room_id", Room))), CancellationToken.None);

        Assert.Equal("""{"toPersonEmail":"jane@example.org","markdown":"**Pump**\n\npump 7 is hot"}""", _api.Requests[0].BodyText);
        Assert.Equal("""{"toPersonEmail":"joe@example.org","text":"door"}""", _api.Requests[1].BodyText);
        Assert.Equal($$"""{"roomId":"{{Room}}","text":"door"}""", _api.Requests[2].BodyText);
    }

    [Fact]
    public async Task A_refusal_is_permanent_with_webexs_message_and_tracking_id()
    {
        _api.On("POST", "/v1/messages", FakeHttpResponse.Json("""{"message": "Could not find a room with provided ID.", "errors": [{"description": "Could not find a room with provided ID."}], "trackingId": "ROUTER_1"}""", 404));
        var error = await ChatItems.FailureOf(Sink(), Item("x", Room));

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("webex create message failed: HTTP 404: Could not find a room with provided ID. (trackingId ROUTER_1)", error.Message);
    }

    [Fact]
    public async Task Too_many_requests_and_server_errors_are_transient()
    {
        _api.On("POST", "/v1/messages",
            FakeHttpResponse.Json("""{"message": "Too Many Requests"}""", 429) with { Headers = new Dictionary<string, string> { ["Retry-After"] = "60" } },
            FakeHttpResponse.Json("""{"message": "Service Unavailable"}""", 503));
        var sink = Sink();

        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, Item("x", Room)), TimeSpan.FromSeconds(60));
        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, Item("x", Room)), null);
    }

    [Fact]
    public async Task A_refused_connection_is_transient()
    {
        var sink = BuiltInPlugins.Create("webex", new TestPluginContext(Some.Dict(("api_url", Loopback.ClosedUrl()), ("token", Token))));
        var error = await ChatItems.FailureOf(sink, Item("x", Room));

        DeliveryFailures.AssertTransient(error, null);
        Assert.Equal("webex create message failed: could not connect", error.Message);
    }

    [Fact]
    public async Task The_token_is_never_logged_nor_in_a_failure()
    {
        _api.On("POST", "/v1/messages", FakeHttpResponse.Json(Ok), FakeHttpResponse.Json("""{"message": "The request requires a valid access token set in the Authorization request header."}""", 401));
        var context = Context();
        var sink = BuiltInPlugins.Create("webex", context);
        await sink.SendAsync(Item("x", Room), CancellationToken.None);
        var error = await ChatItems.FailureOf(sink, Item("x", Room));

        DeliveryFailures.AssertPermanent(error);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_and_options_are_checked()
    {
        var token = Some.Dict(("token", "t"));
        Assert.Empty(BuiltInPlugins.Validate("webex", Room, token));
        Assert.Empty(BuiltInPlugins.Validate("webex", Some.List("jane@example.org"), token));
        Assert.Empty(BuiltInPlugins.Validate("webex", Some.Dict(("room_id", Room)), token));
        Assert.NotEmpty(BuiltInPlugins.Validate("webex", Some.Dict(("room_id", Room), ("person_email", "jane@example.org")), token));
        Assert.NotEmpty(BuiltInPlugins.Validate("webex", Some.Dict(("room", Room)), token));
        Assert.NotEmpty(BuiltInPlugins.Validate("webex", Some.List(Room, "jane@example.org"), token));
        Assert.NotEmpty(BuiltInPlugins.Validate("webex", null, token));
        Assert.Null(BuiltInPlugins.Activate("webex").Instance);
        Assert.Null(BuiltInPlugins.Activate("webex", Some.Dict(("token", "t"), ("api_url", "webexapis.com"))).Instance);
    }

    [Fact]
    public async Task Hub_notify_sends_markdown_with_the_title()
    {
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = webex

            [config:webex]
            token = '{Token}'
            api_url = '{_api.BaseUrl}'
            targets = {"{"} 'ops': '{Room}' {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "webex:ops", "disk full", "--title", "Disk", "--config", config);

        Assert.True(code == 0, error + output);
        var request = Assert.Single(_api.Requests);
        Assert.Equal("Bearer " + Token, request.Header("Authorization"));
        Assert.Equal($$"""{"roomId":"{{Room}}","markdown":"**Disk**\n\ndisk full"}""", request.BodyText);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private TestPluginContext Context() => new(Some.Dict(("api_url", _api.BaseUrl), ("token", Token)));

    private ISink Sink() => BuiltInPlugins.Create("webex", Context());

    private static DeliveryItem Item(string message, object? descriptor, string title = "") => ChatItems.Item("webex", message, descriptor, title);
}
