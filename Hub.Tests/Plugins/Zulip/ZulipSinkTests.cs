using System.Text;
using System.Web;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Zulip;

/// <summary>The zulip plugin against a local stand-in of a Zulip server's REST API.</summary>
public sealed class ZulipSinkTests : IAsyncLifetime
{
    private const string Email = "hub-bot@example.org";
    private const string ApiKey = "SECRET-api-key";
    private const string Ok = """{"result": "success", "msg": "", "id": 42}""";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeHttpApi.StartAsync();
        _api.On("POST", "/api/v1/messages", FakeHttpResponse.Json(Ok));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_channel_message_is_a_form_post_with_basic_auth_the_channel_and_the_targets_topic()
    {
        await Sink().SendAsync(Item("pump 7 is hot", Some.List("ops", "alarms")), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/v1/messages", request.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Email + ":" + ApiKey)), request.Header("Authorization"));
        Assert.Equal("application/x-www-form-urlencoded", request.Header("Content-Type"));
        Assert.Equal("type=stream&to=ops&topic=alarms&content=pump+7+is+hot", request.BodyText);
    }

    [Fact]
    public async Task Without_a_topic_in_the_target_the_title_is_the_topic_else_the_topic_option()
    {
        await Sink().SendAsync(Item("hot", "ops", title: "Pump 7"), CancellationToken.None);
        await Sink(("topic", "sensors")).SendAsync(Item("cold", Some.Dict(("stream", "ops"))), CancellationToken.None);
        await Sink().SendAsync(Item("warm", Some.List("ops")), CancellationToken.None);

        Assert.Equal(Fields(("type", "stream"), ("to", "ops"), ("topic", "Pump 7"), ("content", "hot")), Form(_api.Requests[0]));
        Assert.Equal(Fields(("type", "stream"), ("to", "ops"), ("topic", "sensors"), ("content", "cold")), Form(_api.Requests[1]));
        Assert.Equal("hub", Form(_api.Requests[2])["topic"]);
    }

    [Fact]
    public async Task The_targets_topic_is_formatted_with_the_data_and_a_title_goes_above_the_content_in_bold()
    {
        var data = new Dictionary<string, object?> { ["topic"] = "plant/pump7" };
        await Sink().SendAsync(Item("hot", Some.Dict(("stream", "ops"), ("topic", "mqtt {topic}")), title: "Pump", data: data), CancellationToken.None);

        Assert.Equal(Fields(("type", "stream"), ("to", "ops"), ("topic", "mqtt plant/pump7"), ("content", "**Pump**\nhot")), Form(Assert.Single(_api.Requests)));
    }

    [Fact]
    public async Task A_direct_target_sends_a_direct_message_to_a_json_list_of_recipients()
    {
        await Sink().SendAsync(Item("hi", Some.Dict(("direct", "jane@example.org")), title: "Door"), CancellationToken.None);
        await Sink().SendAsync(Item("hi", Some.Dict(("direct", Some.List("a@example.org", "b@example.org")))), CancellationToken.None);
        await Sink().SendAsync(Item("hi", Some.Dict(("direct", Some.List(9L, "10")))), CancellationToken.None);

        Assert.Equal(Fields(("type", "direct"), ("to", """["jane@example.org"]"""), ("content", "**Door**\nhi")), Form(_api.Requests[0]));
        Assert.Equal("""["a@example.org","b@example.org"]""", Form(_api.Requests[1])["to"]);
        Assert.Equal("[9,10]", Form(_api.Requests[2])["to"]);
    }

    [Fact]
    public async Task A_refusal_is_permanent_with_zulips_msg()
    {
        _api.On("POST", "/api/v1/messages", FakeHttpResponse.Json("""{"result": "error", "msg": "Channel 'nope' does not exist", "code": "STREAM_DOES_NOT_EXIST", "stream": "nope"}""", 400));
        var error = await ChatItems.FailureOf(Sink(), Item("x", "nope"));

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("zulip send message failed: HTTP 400: Channel 'nope' does not exist", error.Message);
    }

    [Fact]
    public async Task Rate_limiting_is_transient_with_the_bodys_retry_after_and_server_errors_are_transient()
    {
        _api.On("POST", "/api/v1/messages",
            FakeHttpResponse.Json("""{"result": "error", "msg": "API usage exceeds rate limit", "code": "RATE_LIMIT_HIT", "retry-after": 28.5}""", 429) with
            {
                Headers = new Dictionary<string, string> { ["Retry-After"] = "29" },
            },
            FakeHttpResponse.Text("bad gateway", 502));
        var sink = Sink();

        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, Item("x", "ops")), TimeSpan.FromSeconds(28.5));
        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, Item("x", "ops")), null);
    }

    [Fact]
    public async Task A_topic_naming_missing_data_is_permanent_and_nothing_is_sent()
    {
        var error = await ChatItems.FailureOf(Sink(), Item("x", Some.List("ops", "{device}")));

        DeliveryFailures.AssertPermanent(error);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task A_refused_connection_is_transient()
    {
        var sink = BuiltInPlugins.Create("zulip", new TestPluginContext(Some.Dict(("site", Loopback.ClosedUrl()), ("email", Email), ("api_key", ApiKey))));
        var error = await ChatItems.FailureOf(sink, Item("x", "ops"));

        DeliveryFailures.AssertTransient(error, null);
        Assert.Equal("zulip send message failed: could not connect", error.Message);
    }

    [Fact]
    public async Task The_api_key_is_never_logged_nor_in_a_failure()
    {
        _api.On("POST", "/api/v1/messages", FakeHttpResponse.Json(Ok), FakeHttpResponse.Json("""{"result": "error", "msg": "Invalid API key", "code": "INVALID_API_KEY"}""", 401));
        var context = Context();
        var sink = BuiltInPlugins.Create("zulip", context);
        await sink.SendAsync(Item("x", "ops"), CancellationToken.None);
        var error = await ChatItems.FailureOf(sink, Item("x", "ops"));

        Assert.Equal("zulip send message failed: HTTP 401: Invalid API key", error.Message);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_and_options_are_checked()
    {
        Assert.Empty(BuiltInPlugins.Validate("zulip", "ops", Credentials()));
        Assert.Empty(BuiltInPlugins.Validate("zulip", Some.List("ops", "{topic}"), Credentials()));
        Assert.Empty(BuiltInPlugins.Validate("zulip", Some.Dict(("direct", Some.List("a@example.org"))), Credentials()));
        Assert.NotEmpty(BuiltInPlugins.Validate("zulip", Some.List("ops", "t", "extra"), Credentials()));
        Assert.NotEmpty(BuiltInPlugins.Validate("zulip", Some.Dict(("topic", "t")), Credentials()));
        Assert.NotEmpty(BuiltInPlugins.Validate("zulip", Some.Dict(("direct", "a@example.org"), ("topic", "t")), Credentials()));
        Assert.NotEmpty(BuiltInPlugins.Validate("zulip", Some.Dict(("direct", Some.List())), Credentials()));
        Assert.NotEmpty(BuiltInPlugins.Validate("zulip", Some.Dict(("channel", "ops")), Credentials()));
        Assert.Null(BuiltInPlugins.Activate("zulip", Some.Dict(("site", "example.zulipchat.com"), ("email", Email), ("api_key", ApiKey))).Instance);
        Assert.Null(BuiltInPlugins.Activate("zulip", Some.Dict(("site", "https://example.zulipchat.com"), ("email", Email))).Instance);
    }

    [Fact]
    public async Task Hub_notify_sends_to_the_channel_with_the_title_as_topic()
    {
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = zulip

            [config:zulip]
            site = '{_api.BaseUrl}'
            email = '{Email}'
            api_key = '{ApiKey}'
            targets = {"{"} 'ops': 'ops' {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "zulip:ops", "disk full", "--title", "Disk", "--config", config);

        Assert.True(code == 0, error + output);
        var request = Assert.Single(_api.Requests);
        Assert.StartsWith("Basic ", request.Header("Authorization"), StringComparison.Ordinal);
        Assert.Equal("type=stream&to=ops&topic=Disk&content=disk+full", request.BodyText);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Form(FakeHttpRequest request)
    {
        var form = HttpUtility.ParseQueryString(request.BodyText);
        return form.AllKeys.ToDictionary(k => k!, k => form[k]);
    }

    private static Dictionary<string, string?> Fields(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => (string?)f.Value);

    private static OrderedDictionary<string, object?> Credentials() => Some.Dict(("site", "https://example.zulipchat.com"), ("email", Email), ("api_key", ApiKey));

    private TestPluginContext Context(params (string Key, object? Value)[] options) =>
        new(Some.Dict([("site", _api.BaseUrl), ("email", Email), ("api_key", ApiKey), .. options]));

    private ISink Sink(params (string Key, object? Value)[] options) => BuiltInPlugins.Create("zulip", Context(options));

    private static DeliveryItem Item(string message, object? descriptor, string title = "", IReadOnlyDictionary<string, object?>? data = null) =>
        ChatItems.Item("zulip", message, descriptor, title, data: data);
}
