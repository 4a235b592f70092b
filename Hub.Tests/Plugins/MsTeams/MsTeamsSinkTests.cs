using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.MsTeams;

/// <summary>The msteams plugin against a local stand-in of a Workflows webhook and a legacy connector webhook.</summary>
public sealed class MsTeamsSinkTests : IAsyncLifetime
{
    private const string FlowPath = "/workflows/abc/triggers/manual/paths/invoke";
    private const string ConnectorPath = "/webhookb2/SECRET-ids/IncomingWebhook/x/y";
    private FakeHttpApi _api = null!;

    private string FlowUrl => _api.BaseUrl + FlowPath + "?api-version=2016-06-01&sig=SECRET-sig";

    private string ConnectorUrl => _api.BaseUrl + ConnectorPath;

    public async Task InitializeAsync()
    {
        _api = await FakeHttpApi.StartAsync();
        _api.On("POST", FlowPath, new FakeHttpResponse(202, "", "text/plain"));
        _api.On("POST", ConnectorPath, FakeHttpResponse.Text("1"));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_workflows_webhook_gets_an_adaptive_card_with_the_title_coloured_by_priority_and_the_text()
    {
        await Sink().SendAsync(Item("pump 7 is hot", FlowUrl, title: "Pump", priority: 2), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(FlowPath, request.Path);
        Assert.Equal("?api-version=2016-06-01&sig=SECRET-sig", request.Query);
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal(
            """{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null,"content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.4","body":[{"type":"TextBlock","text":"Pump","weight":"Bolder","size":"Medium","color":"Attention","wrap":true},{"type":"TextBlock","text":"pump 7 is hot","wrap":true}]}}]}""",
            request.BodyText);
    }

    [Fact]
    public async Task Without_a_title_the_adaptive_card_holds_only_the_text()
    {
        await Sink().SendAsync(Item("door open", Some.List(FlowUrl)), CancellationToken.None);

        var body = Assert.Single(_api.Requests).Json.GetProperty("attachments")[0].GetProperty("content").GetProperty("body");
        Assert.Equal("""[{"type":"TextBlock","text":"door open","wrap":true}]""", body.GetRawText());
    }

    [Fact]
    public async Task A_connector_webhook_gets_a_message_card_with_the_theme_colour_of_the_priority()
    {
        await Sink(("card", "message_card")).SendAsync(Item("pump 7 is hot", ConnectorUrl, title: "Pump", priority: 1), CancellationToken.None);
        await Sink().SendAsync(Item("door open", Some.Dict(("webhook_url", ConnectorUrl), ("card", "message_card"))), CancellationToken.None);

        Assert.Equal(
            """{"@type":"MessageCard","@context":"https://schema.org/extensions","summary":"Pump","themeColor":"DAA038","title":"Pump","text":"pump 7 is hot"}""",
            _api.Requests[0].BodyText);
        Assert.Equal(
            """{"@type":"MessageCard","@context":"https://schema.org/extensions","summary":"door open","themeColor":"2EB886","text":"door open"}""",
            _api.Requests[1].BodyText);
    }

    [Theory]
    [InlineData(-2, "A0A0A0", "Default")]
    [InlineData(0, "2EB886", "Good")]
    [InlineData(1, "DAA038", "Warning")]
    [InlineData(2, "A30200", "Attention")]
    public async Task Colours_follow_the_priority(int priority, string theme, string adaptive)
    {
        await Sink().SendAsync(Item("x", ConnectorUrl, title: "T", priority: priority), CancellationToken.None);
        await Sink(("card", "message_card")).SendAsync(Item("x", ConnectorUrl, title: "T", priority: priority), CancellationToken.None);

        Assert.Equal(adaptive, _api.Requests[0].Json.GetProperty("attachments")[0].GetProperty("content").GetProperty("body")[0].GetProperty("color").GetString());
        Assert.Equal(theme, _api.Requests[1].Json.GetProperty("themeColor").GetString());
    }

    [Fact]
    public async Task A_connector_that_reports_a_failed_delivery_with_http_200_fails_the_delivery()
    {
        _api.On("POST", ConnectorPath,
            FakeHttpResponse.Text("Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId x"),
            FakeHttpResponse.Text("Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 403 with ContextId y"));
        var sink = Sink(("card", "message_card"));

        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, Item("x", ConnectorUrl)), null);
        DeliveryFailures.AssertPermanent(await ChatItems.FailureOf(sink, Item("x", ConnectorUrl)));
    }

    [Fact]
    public async Task A_bad_request_is_permanent_and_too_many_requests_and_server_errors_are_transient()
    {
        _api.On("POST", FlowPath,
            FakeHttpResponse.Json("""{"error": {"code": "InvalidRequestContent", "message": "The input body for trigger 'manual' of type 'Request' did not match its schema definition."}}""", 400),
            FakeHttpResponse.Text("busy", 429) with { Headers = new Dictionary<string, string> { ["Retry-After"] = "3" } },
            FakeHttpResponse.Text("down", 503));
        var sink = Sink();

        var bad = await ChatItems.FailureOf(sink, Item("x", FlowUrl));
        DeliveryFailures.AssertPermanent(bad);
        Assert.Equal("msteams webhook failed: HTTP 400: The input body for trigger 'manual' of type 'Request' did not match its schema definition.", bad.Message);
        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, Item("x", FlowUrl)), TimeSpan.FromSeconds(3));
        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, Item("x", FlowUrl)), null);
    }

    [Fact]
    public async Task A_refused_connection_is_transient()
    {
        var error = await ChatItems.FailureOf(Sink(), Item("x", Loopback.ClosedUrl() + FlowPath));

        DeliveryFailures.AssertTransient(error, null);
        Assert.Equal("msteams webhook failed: could not connect", error.Message);
    }

    [Fact]
    public async Task The_webhook_url_is_never_logged_nor_in_a_failure()
    {
        _api.On("POST", FlowPath, new FakeHttpResponse(202, "", "text/plain"), FakeHttpResponse.Text("Not Found", 404));
        var context = new TestPluginContext();
        var sink = BuiltInPlugins.Create("msteams", context);
        await sink.SendAsync(Item("x", FlowUrl), CancellationToken.None);
        var error = await ChatItems.FailureOf(sink, Item("x", FlowUrl));

        DeliveryFailures.AssertPermanent(error);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_is_a_webhook_url_with_an_optional_card_kind()
    {
        Assert.Empty(BuiltInPlugins.Validate("msteams", "https://example.webhook.office.com/webhookb2/x"));
        Assert.Empty(BuiltInPlugins.Validate("msteams", Some.List("https://example.webhook.office.com/webhookb2/x")));
        Assert.Empty(BuiltInPlugins.Validate("msteams", Some.Dict(("webhook_url", "https://x.example/y"), ("card", "message_card"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("msteams", Some.Dict(("webhook_url", "https://x.example/y"), ("card", "hero"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("msteams", Some.Dict(("card", "adaptive"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("msteams", Some.List("https://x.example/y", "extra")));
        Assert.NotEmpty(BuiltInPlugins.Validate("msteams", "webhook"));
        Assert.Null(BuiltInPlugins.Activate("msteams", Some.Dict(("card", "hero"))).Instance);
    }

    [Fact]
    public async Task Hub_notify_posts_an_adaptive_card()
    {
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = msteams

            [config:msteams]
            targets = {"{"} 'ops': '{FlowUrl}' {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "msteams:ops", "disk full", "--title", "Disk", "--priority", "1", "--config", config);

        Assert.True(code == 0, error + output);
        var content = Assert.Single(_api.Requests).Json.GetProperty("attachments")[0].GetProperty("content");
        Assert.Equal(
            """[{"type":"TextBlock","text":"Disk","weight":"Bolder","size":"Medium","color":"Warning","wrap":true},{"type":"TextBlock","text":"disk full","wrap":true}]""",
            content.GetProperty("body").GetRawText());
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private static ISink Sink(params (string Key, object? Value)[] options) => BuiltInPlugins.Create("msteams", new TestPluginContext(Some.Dict(options)));

    private static DeliveryItem Item(string message, object? descriptor, string title = "", int priority = 0) =>
        ChatItems.Item("msteams", message, descriptor, title, priority);
}
