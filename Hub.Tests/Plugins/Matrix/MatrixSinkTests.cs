using System.Text.RegularExpressions;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Matrix;

/// <summary>The matrix plugin against a local stand-in of a homeserver's client-server API.</summary>
public sealed partial class MatrixSinkTests : IAsyncLifetime
{
    private const string Token = "syt_SECRET_token";
    private const string SendPrefix = "/_matrix/client/v3/rooms/!abc:example.org/send/m.room.message/";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeHttpApi.StartAsync();

        // Each message has its own transaction id in the path: every unscripted request gets the send answer.
        _api.Unmatched = FakeHttpResponse.Json("""{"event_id": "$YUwRidLecu:example.org"}""");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_message_is_put_into_the_room_with_the_bearer_token_and_a_transaction_id()
    {
        await Sink().SendAsync(Item("pump 7 is hot", "!abc:example.org"), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.StartsWith(SendPrefix, request.Path, StringComparison.Ordinal);
        Assert.Matches(TransactionId(), request.Path[SendPrefix.Length..]);
        Assert.Equal("", request.Query);
        Assert.Equal("Bearer " + Token, request.Header("Authorization"));
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal("""{"msgtype":"m.text","body":"pump 7 is hot"}""", request.BodyText);
    }

    [Fact]
    public async Task A_titled_message_has_an_html_version_with_the_title_in_bold()
    {
        await Sink(("msgtype", "m.notice")).SendAsync(Item("a < b\nsecond line", Some.List("!abc:example.org"), title: "Pump & co"), CancellationToken.None);

        Assert.Equal(
            """{"msgtype":"m.notice","body":"Pump \u0026 co\na \u003C b\nsecond line","format":"org.matrix.custom.html","formatted_body":"\u003Cstrong\u003EPump \u0026amp; co\u003C/strong\u003E\u003Cbr\u003Ea \u0026lt; b\u003Cbr\u003Esecond line"}""",
            Assert.Single(_api.Requests).BodyText);
    }

    [Fact]
    public async Task Every_message_gets_its_own_transaction_id_and_a_retried_item_keeps_its_own()
    {
        var sink = Sink();
        var first = Item("one", "!abc:example.org");
        _api.Unmatched = FakeHttpResponse.Json("""{"errcode": "M_UNKNOWN", "error": "database busy"}""", 500);
        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, first), null);
        _api.Unmatched = FakeHttpResponse.Json("""{"event_id": "$1"}""");
        await sink.SendAsync(first, CancellationToken.None);
        await sink.SendAsync(Item("two", "!abc:example.org"), CancellationToken.None);

        var paths = _api.Requests.Select(r => r.Path).ToList();
        Assert.Equal(paths[0], paths[1]);
        Assert.NotEqual(paths[1], paths[2]);
    }

    [Fact]
    public async Task The_room_id_is_url_escaped_in_the_path()
    {
        await Sink().SendAsync(Item("x", "!a/b?c:example.org"), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.StartsWith("/_matrix/client/v3/rooms/!a%2Fb?c:example.org/send/m.room.message/hub.", request.Path, StringComparison.Ordinal);
        Assert.Equal("", request.Query);
    }

    [Fact]
    public async Task An_alias_is_resolved_once_and_its_room_id_used()
    {
        _api.On("GET", "/_matrix/client/v3/directory/room/#ops:example.org", FakeHttpResponse.Json("""{"room_id": "!abc:example.org", "servers": ["example.org"]}"""));
        var sink = Sink();
        await sink.SendAsync(Item("one", "#ops:example.org"), CancellationToken.None);
        await sink.SendAsync(Item("two", "#ops:example.org"), CancellationToken.None);

        Assert.Equal(["GET", "PUT", "PUT"], _api.Requests.Select(r => r.Method));
        Assert.Equal("Bearer " + Token, _api.Requests[0].Header("Authorization"));
        Assert.All(_api.Requests.Skip(1), r => Assert.StartsWith(SendPrefix, r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_alias_is_permanent()
    {
        _api.On("GET", "/_matrix/client/v3/directory/room/#nope:example.org", FakeHttpResponse.Json("""{"errcode": "M_NOT_FOUND", "error": "Room alias #nope:example.org not found"}""", 404));
        var error = await ChatItems.FailureOf(Sink(), Item("x", "#nope:example.org"));

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("matrix room alias lookup failed: HTTP 404: M_NOT_FOUND: Room alias #nope:example.org not found", error.Message);
        Assert.Single(_api.Requests);
    }

    [Fact]
    public async Task A_forbidden_room_is_permanent_with_the_errcode()
    {
        _api.Unmatched = FakeHttpResponse.Json("""{"errcode": "M_FORBIDDEN", "error": "You are not in this room."}""", 403);
        var error = await ChatItems.FailureOf(Sink(), Item("x", "!abc:example.org"));

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("matrix send failed: HTTP 403: M_FORBIDDEN: You are not in this room.", error.Message);
    }

    [Fact]
    public async Task Rate_limiting_is_transient_with_retry_after_ms()
    {
        _api.Unmatched = FakeHttpResponse.Json("""{"errcode": "M_LIMIT_EXCEEDED", "error": "Too many requests", "retry_after_ms": 2500}""", 429) with
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = "3" },
        };
        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(Sink(), Item("x", "!abc:example.org")), TimeSpan.FromMilliseconds(2500));

        _api.Unmatched = FakeHttpResponse.Json("""{"errcode": "M_LIMIT_EXCEEDED", "error": "Too many requests"}""", 429) with
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = "3" },
        };
        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(Sink(), Item("x", "!abc:example.org")), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_refused_connection_is_transient()
    {
        var sink = BuiltInPlugins.Create("matrix", new TestPluginContext(Some.Dict(("homeserver", Loopback.ClosedUrl()), ("access_token", Token))));
        var error = await ChatItems.FailureOf(sink, Item("x", "!abc:example.org"));

        DeliveryFailures.AssertTransient(error, null);
        Assert.Equal("matrix send failed: could not connect", error.Message);
    }

    [Fact]
    public async Task The_access_token_is_never_logged_nor_in_a_failure()
    {
        var context = Context();
        var sink = BuiltInPlugins.Create("matrix", context);
        await sink.SendAsync(Item("x", "!abc:example.org"), CancellationToken.None);
        _api.Unmatched = FakeHttpResponse.Json("""{"errcode": "M_UNKNOWN_TOKEN", "error": "Invalid access token passed."}""", 401);
        var error = await ChatItems.FailureOf(sink, Item("x", "!abc:example.org"));

        DeliveryFailures.AssertPermanent(error);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_is_a_room_id_or_alias_and_the_options_are_checked()
    {
        Assert.Empty(BuiltInPlugins.Validate("matrix", "!abc:example.org", Some.Dict(("access_token", "t"))));
        Assert.Empty(BuiltInPlugins.Validate("matrix", Some.List("#ops:example.org"), Some.Dict(("access_token", "t"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("matrix", "ops", Some.Dict(("access_token", "t"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("matrix", "!abc", Some.Dict(("access_token", "t"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("matrix", Some.List("!abc:example.org", "!def:example.org"), Some.Dict(("access_token", "t"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("matrix", Some.Dict(("room", "!abc:example.org")), Some.Dict(("access_token", "t"))));
        Assert.Null(BuiltInPlugins.Activate("matrix").Instance);
        Assert.Null(BuiltInPlugins.Activate("matrix", Some.Dict(("access_token", "t"), ("msgtype", "m.emote"))).Instance);
        Assert.Null(BuiltInPlugins.Activate("matrix", Some.Dict(("access_token", "t"), ("homeserver", "matrix.org"))).Instance);
    }

    [Fact]
    public async Task Hub_notify_puts_the_titled_message_into_the_room()
    {
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = matrix

            [config:matrix]
            homeserver = '{_api.BaseUrl}'
            access_token = '{Token}'
            targets = {"{"} 'ops': '!abc:example.org' {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "matrix:ops", "disk full", "--title", "Disk", "--config", config);

        Assert.True(code == 0, error + output);
        var request = Assert.Single(_api.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.StartsWith(SendPrefix, request.Path, StringComparison.Ordinal);
        Assert.Equal("Bearer " + Token, request.Header("Authorization"));
        Assert.Equal("""{"msgtype":"m.text","body":"Disk\ndisk full","format":"org.matrix.custom.html","formatted_body":"\u003Cstrong\u003EDisk\u003C/strong\u003E\u003Cbr\u003Edisk full"}""", request.BodyText);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    [GeneratedRegex("^hub\\.[0-9a-f]{32}$")]
    private static partial Regex TransactionId();

    private TestPluginContext Context(params (string Key, object? Value)[] options) =>
        new(Some.Dict([("homeserver", _api.BaseUrl), ("access_token", Token), .. options]));

    private ISink Sink(params (string Key, object? Value)[] options) => BuiltInPlugins.Create("matrix", Context(options));

    private static DeliveryItem Item(string message, object? descriptor, string title = "") => ChatItems.Item("matrix", message, descriptor, title);
}
