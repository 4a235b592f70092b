using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Mattermost;

/// <summary>The mattermost plugin against a local stand-in of an incoming webhook.</summary>
public sealed class MattermostSinkTests : IAsyncLifetime
{
    private const string HookPath = "/hooks/SECRET-hook-key";
    private FakeHttpApi _api = null!;

    private string HookUrl => _api.BaseUrl + HookPath;

    public async Task InitializeAsync()
    {
        _api = await FakeHttpApi.StartAsync();
        _api.On("POST", HookPath, FakeHttpResponse.Text("ok"));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_webhook_gets_the_title_as_a_heading_the_channel_username_and_icon_as_json()
    {
        await Sink().SendAsync(Item("pump 7 is hot", Some.List(HookUrl, "ops", "hub", "https://example.org/hub.png"), title: "Alarm"), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(HookPath, request.Path);
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal("application/json", request.Header("Accept"));
        Assert.Equal(
            """{"text":"#### Alarm\npump 7 is hot","channel":"ops","username":"hub","icon_url":"https://example.org/hub.png"}""",
            request.BodyText);
    }

    [Fact]
    public async Task Without_a_title_username_or_icon_only_the_text_and_channel_are_sent()
    {
        await Sink().SendAsync(Item("door open", Some.List(HookUrl, "town-square")), CancellationToken.None);

        Assert.Equal("""{"text":"door open","channel":"town-square"}""", Assert.Single(_api.Requests).BodyText);
    }

    [Fact]
    public async Task A_none_channel_leaves_the_channel_to_the_webhook()
    {
        await Sink().SendAsync(Item("x", Some.List(HookUrl, null, "hub")), CancellationToken.None);

        Assert.Equal("""{"text":"x","username":"hub"}""", Assert.Single(_api.Requests).BodyText);
    }

    [Fact]
    public async Task A_json_object_message_becomes_a_key_value_table_unless_json_table_is_off()
    {
        const string Json = """{"temp": 21.5, "room": "hall|east"}""";
        await Sink().SendAsync(Item(Json, Some.List(HookUrl, "ops"), title: "Hall"), CancellationToken.None);
        await Sink(("json_table", false)).SendAsync(Item(Json, Some.List(HookUrl, "ops")), CancellationToken.None);

        Assert.Equal("#### Hall\n| key | value |\n|:--- |:--- |\n| temp | 21.5 |\n| room | hall\\|east |\n", _api.Requests[0].Json.GetProperty("text").GetString());
        Assert.Equal(Json, _api.Requests[1].Json.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_refusal_is_permanent_with_mattermosts_message()
    {
        _api.On("POST", HookPath, FakeHttpResponse.Json("""{"id":"web.incoming_webhook.text.app_error","message":"No text specified","status_code":400}""", 400));
        var error = await ChatItems.FailureOf(Sink(), Item("x", Some.List(HookUrl, "ops")));

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("mattermost webhook failed: HTTP 400: No text specified", error.Message);
    }

    [Fact]
    public async Task Too_many_requests_and_server_errors_are_transient()
    {
        _api.On("POST", HookPath,
            FakeHttpResponse.Text("limited", 429) with { Headers = new Dictionary<string, string> { ["Retry-After"] = "4" } },
            FakeHttpResponse.Text("bad gateway", 502));
        var sink = Sink();

        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, Item("x", Some.List(HookUrl, "ops"))), TimeSpan.FromSeconds(4));
        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, Item("x", Some.List(HookUrl, "ops"))), null);
    }

    [Fact]
    public async Task A_refused_connection_is_transient()
    {
        var error = await ChatItems.FailureOf(Sink(), Item("x", Some.List(Loopback.ClosedUrl() + HookPath, "ops")));

        DeliveryFailures.AssertTransient(error, null);
        Assert.Equal("mattermost webhook failed: could not connect", error.Message);
    }

    [Fact]
    public async Task The_hook_key_is_never_logged_nor_in_a_failure()
    {
        _api.On("POST", HookPath, FakeHttpResponse.Text("ok"), FakeHttpResponse.Text("Unable to find the webhook", 404));
        var context = new TestPluginContext();
        var sink = BuiltInPlugins.Create("mattermost", context);
        await sink.SendAsync(Item("x", Some.List(HookUrl, "ops")), CancellationToken.None);
        var error = await ChatItems.FailureOf(sink, Item("x", Some.List(HookUrl, "ops")));

        DeliveryFailures.AssertPermanent(error);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_is_a_hook_url_and_channel_with_an_optional_username_and_icon()
    {
        Assert.Empty(BuiltInPlugins.Validate("mattermost", Some.List("https://chat.example.org/hooks/k", "ops")));
        Assert.Empty(BuiltInPlugins.Validate("mattermost", Some.List("https://chat.example.org/hooks/k", "ops", "hub", "https://example.org/i.png")));
        Assert.Empty(BuiltInPlugins.Validate("mattermost", Some.List("https://chat.example.org/hooks/k", null, null, null)));
        Assert.NotEmpty(BuiltInPlugins.Validate("mattermost", Some.List("https://chat.example.org/hooks/k")));
        Assert.NotEmpty(BuiltInPlugins.Validate("mattermost", "https://chat.example.org/hooks/k"));
        Assert.NotEmpty(BuiltInPlugins.Validate("mattermost", Some.List("chat.example.org/hooks/k", "ops")));
        Assert.NotEmpty(BuiltInPlugins.Validate("mattermost", Some.List("https://chat.example.org/hooks/k", "ops", "hub", "icon")));
        Assert.NotEmpty(BuiltInPlugins.Validate("mattermost", Some.List("https://chat.example.org/hooks/k", "ops", "hub", "https://example.org/i.png", "extra")));
    }

    [Fact]
    public async Task Hub_notify_posts_the_titled_message_to_the_channel()
    {
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = mattermost

            [config:mattermost]
            targets = {"{"} 'ops': ['{HookUrl}', 'ops', 'hub'] {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "mattermost:ops", "disk full", "--title", "Disk", "--config", config);

        Assert.True(code == 0, error + output);
        Assert.Equal("""{"text":"#### Disk\ndisk full","channel":"ops","username":"hub"}""", Assert.Single(_api.Requests).BodyText);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private static ISink Sink(params (string Key, object? Value)[] options) => BuiltInPlugins.Create("mattermost", new TestPluginContext(Some.Dict(options)));

    private static DeliveryItem Item(string message, object? descriptor, string title = "") => ChatItems.Item("mattermost", message, descriptor, title);
}
