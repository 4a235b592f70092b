using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Discord;

/// <summary>The discord plugin against a local stand-in of a Discord channel webhook.</summary>
public sealed class DiscordSinkTests : IAsyncLifetime
{
    private const string HookPath = "/api/webhooks/1234/SECRET-hook-token";
    private FakeHttpApi _api = null!;

    private string HookUrl => _api.BaseUrl + HookPath;

    public async Task InitializeAsync()
    {
        _api = await FakeHttpApi.StartAsync();
        _api.On("POST", HookPath, new FakeHttpResponse(204, "", "text/plain"));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_message_without_a_title_is_posted_as_content()
    {
        await Sink().SendAsync(Item("pump 7 is hot", HookUrl), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(HookPath, request.Path);
        Assert.Equal("", request.Query);
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal("""{"content":"pump 7 is hot"}""", request.BodyText);
    }

    [Fact]
    public async Task A_titled_message_is_an_embed_with_the_colour_of_its_priority_and_the_targets_name_and_avatar()
    {
        var target = Some.Dict(("webhook_url", HookUrl), ("username", "Alarm"), ("avatar_url", "https://example.org/a.png"));
        await Sink().SendAsync(Item("pump 7 is hot", target, title: "Pump", priority: 2), CancellationToken.None);

        Assert.Equal(
            """{"embeds":[{"title":"Pump","description":"pump 7 is hot","color":15548997}],"username":"Alarm","avatar_url":"https://example.org/a.png"}""",
            Assert.Single(_api.Requests).BodyText);
    }

    [Theory]
    [InlineData(-2, 0xA0A0A0)]
    [InlineData(-1, 0xA0A0A0)]
    [InlineData(0, 0x57F287)]
    [InlineData(1, 0xFEE75C)]
    [InlineData(2, 0xED4245)]
    public async Task The_embed_is_coloured_by_priority(int priority, int colour)
    {
        await Sink().SendAsync(Item("x", Some.List(HookUrl), title: "T", priority: priority), CancellationToken.None);

        Assert.Equal(colour, Assert.Single(_api.Requests).Json.GetProperty("embeds")[0].GetProperty("color").GetInt32());
    }

    [Fact]
    public async Task The_services_username_and_avatar_apply_unless_the_target_has_its_own()
    {
        var sink = Sink(("username", "hub"), ("avatar_url", "https://example.org/hub.png"));
        await sink.SendAsync(Item("a", HookUrl), CancellationToken.None);
        await sink.SendAsync(Item("b", Some.Dict(("webhook_url", HookUrl), ("username", "other"))), CancellationToken.None);

        Assert.Equal("""{"content":"a","username":"hub","avatar_url":"https://example.org/hub.png"}""", _api.Requests[0].BodyText);
        Assert.Equal("""{"content":"b","username":"other","avatar_url":"https://example.org/hub.png"}""", _api.Requests[1].BodyText);
    }

    [Fact]
    public async Task Content_longer_than_discords_limit_is_cut_with_an_ellipsis()
    {
        await Sink().SendAsync(Item(new string('x', 2500), HookUrl), CancellationToken.None);

        var content = Assert.Single(_api.Requests).Json.GetProperty("content").GetString()!;
        Assert.Equal(2000, content.Length);
        Assert.EndsWith("x…", content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_requests_is_transient_with_the_bodys_retry_after()
    {
        _api.On("POST", HookPath, FakeHttpResponse.Json("""{"message": "You are being rate limited.", "retry_after": 1.5, "global": false}""", 429) with
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = "2" },
        });
        var error = await ChatItems.FailureOf(Sink(), Item("x", HookUrl));

        DeliveryFailures.AssertTransient(error, TimeSpan.FromSeconds(1.5));
        Assert.Equal("discord webhook failed: HTTP 429: You are being rate limited. (retry after 1.5 s)", error.Message);
    }

    [Fact]
    public async Task Too_many_requests_without_a_body_uses_the_retry_after_header()
    {
        _api.On("POST", HookPath, FakeHttpResponse.Text("slow down", 429) with { Headers = new Dictionary<string, string> { ["Retry-After"] = "7" } });
        var error = await ChatItems.FailureOf(Sink(), Item("x", HookUrl));

        DeliveryFailures.AssertTransient(error, TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task A_server_error_is_transient()
    {
        _api.On("POST", HookPath, FakeHttpResponse.Text("upstream down", 502));
        var error = await ChatItems.FailureOf(Sink(), Item("x", HookUrl));

        DeliveryFailures.AssertTransient(error, null);
    }

    [Fact]
    public async Task An_unknown_webhook_is_permanent_with_discords_message()
    {
        _api.On("POST", HookPath, FakeHttpResponse.Json("""{"message": "Unknown Webhook", "code": 10015}""", 404));
        var error = await ChatItems.FailureOf(Sink(), Item("x", HookUrl));

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("discord webhook failed: HTTP 404: Unknown Webhook", error.Message);
    }

    [Fact]
    public async Task A_refused_connection_is_transient_and_names_the_operation_not_the_url()
    {
        var closed = Loopback.ClosedUrl();
        var error = await ChatItems.FailureOf(Sink(), Item("x", closed + HookPath));

        DeliveryFailures.AssertTransient(error, null);
        Assert.Equal("discord webhook failed: could not connect", error.Message);
    }

    [Fact]
    public async Task The_webhook_token_is_never_logged_nor_in_a_failure()
    {
        _api.On("POST", HookPath, new FakeHttpResponse(204, "", "text/plain"), FakeHttpResponse.Json("""{"message": "Invalid Webhook Token", "code": 50027}""", 401));
        var context = new TestPluginContext();
        var sink = BuiltInPlugins.Create("discord", context);
        await sink.SendAsync(Item("x", HookUrl), CancellationToken.None);
        var error = await ChatItems.FailureOf(sink, Item("x", HookUrl));

        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_is_a_webhook_url_a_one_item_list_or_a_dict_with_a_webhook_url()
    {
        Assert.Empty(BuiltInPlugins.Validate("discord", "https://discord.com/api/webhooks/1/x"));
        Assert.Empty(BuiltInPlugins.Validate("discord", Some.List("https://discord.com/api/webhooks/1/x")));
        Assert.Empty(BuiltInPlugins.Validate("discord", Some.Dict(("webhook_url", "https://discord.com/api/webhooks/1/x"), ("username", "u"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("discord", "not a url"));
        Assert.NotEmpty(BuiltInPlugins.Validate("discord", Some.List("https://discord.com/api/webhooks/1/x", "extra")));
        Assert.NotEmpty(BuiltInPlugins.Validate("discord", Some.Dict(("username", "u"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("discord", Some.Dict(("webhook_url", "https://discord.com/api/webhooks/1/x"), ("colour", "red"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("discord", Some.Dict(("webhook_url", "https://discord.com/api/webhooks/1/x"), ("avatar_url", "nope"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("discord", null));
    }

    [Fact]
    public async Task Hub_notify_posts_an_embed_with_the_title()
    {
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = discord

            [config:discord]
            username = 'hub'
            targets = {"{"} 'ops': '{HookUrl}' {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "discord:ops", "disk full", "--title", "Disk", "--priority", "1", "--config", config);

        Assert.True(code == 0, error + output);
        Assert.Equal(
            """{"embeds":[{"title":"Disk","description":"disk full","color":16705372}],"username":"hub"}""",
            Assert.Single(_api.Requests).BodyText);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private static ISink Sink(params (string Key, object? Value)[] options) => BuiltInPlugins.Create("discord", new TestPluginContext(Some.Dict(options)));

    private static DeliveryItem Item(string message, object? descriptor, string title = "", int priority = 0) =>
        ChatItems.Item("discord", message, descriptor, title, priority);
}
