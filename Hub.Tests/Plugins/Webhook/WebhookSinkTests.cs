using System.Text;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Webhook;

/// <summary>The webhook plugin against a local HTTP server.</summary>
public sealed class WebhookSinkTests : IAsyncLifetime
{
    private const string Token = "Bearer SECRET-token";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_url_target_posts_the_message_as_text_with_the_services_headers()
    {
        _api.On("POST", "/hook", FakeHttpResponse.Text("ok"));
        await Sink(("headers", Some.Dict(("Authorization", Token), ("X-Source", "hub")))).SendAsync(Item("pump 7 is hot ü", _api.BaseUrl + "/hook"), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hook", request.Path);
        Assert.Equal(Token, request.Header("Authorization"));
        Assert.Equal("hub", request.Header("X-Source"));
        Assert.Equal("text/plain; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal("pump 7 is hot ü", request.BodyText);
    }

    [Fact]
    public async Task A_dict_target_sets_method_url_template_body_content_type_and_merges_headers()
    {
        _api.On("PUT", "/state/pump7", FakeHttpResponse.Text("", 204));
        var descriptor = Some.Dict(
            ("url", _api.BaseUrl + "/state/{device}"),
            ("method", "put"),
            ("headers", Some.Dict(("x-source", "target"), ("X-Extra", "1"))),
            ("body", """{{"device": "{device}", "text": "{message}", "level": {priority}, "title": "{title}"}}"""),
            ("content_type", "application/json"));
        var sink = Sink(("headers", Some.Dict(("Authorization", Token), ("X-Source", "service"))));
        await sink.SendAsync(Item("hot", descriptor, Data(("device", "pump7")), title: "Alarm", priority: 2), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/state/pump7", request.Path);
        Assert.Equal(Token, request.Header("Authorization"));
        Assert.Equal("target", request.Header("X-Source"));
        Assert.Equal("1", request.Header("X-Extra"));
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("""{"device": "pump7", "text": "hot", "level": 2, "title": "Alarm"}""", request.BodyText);
    }

    [Fact]
    public async Task The_services_method_body_and_content_type_apply_to_url_targets_and_get_sends_no_body()
    {
        _api.On("PATCH", "/p", FakeHttpResponse.Text("ok"));
        _api.On("GET", "/g/kitchen", FakeHttpResponse.Text("ok"));
        await Sink(("method", "PATCH"), ("body", "v={value}"), ("content_type", "application/x-www-form-urlencoded"))
            .SendAsync(Item("m", _api.BaseUrl + "/p", Data(("value", 21.5))), CancellationToken.None);
        await Sink(("method", "get")).SendAsync(Item("m", Some.List(_api.BaseUrl + "/g/{room}"), Data(("room", "kitchen"))), CancellationToken.None);

        Assert.Equal("PATCH", _api.Requests[0].Method);
        Assert.Equal("application/x-www-form-urlencoded", _api.Requests[0].Header("Content-Type"));
        Assert.Equal("v=21.5", _api.Requests[0].BodyText);
        Assert.Equal("GET", _api.Requests[1].Method);
        Assert.Empty(_api.Requests[1].Body);
        Assert.Null(_api.Requests[1].Header("Content-Type"));
    }

    [Fact]
    public async Task A_template_naming_a_missing_key_fails_permanently_without_a_request()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            Sink(("body", "{nope}")).SendAsync(Item("m", _api.BaseUrl + "/hook"), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.StartsWith("webhook POST: the body cannot be formatted", error.Message);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task Client_errors_are_permanent_and_server_errors_and_429_transient()
    {
        _api.On("POST", "/e", FakeHttpResponse.Text("no such hook", 404), FakeHttpResponse.Text("oops", 500),
            FakeHttpResponse.Text("later", 429) with { Headers = new Dictionary<string, string> { ["Retry-After"] = "3" } });
        var sink = Sink();
        async Task<Exception> Fail() => await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("m", _api.BaseUrl + "/e"), CancellationToken.None).AsTask());

        var refused = await Fail();
        DeliveryFailures.AssertPermanent(refused);
        Assert.Equal("webhook POST failed: HTTP 404: no such hook", refused.Message);
        DeliveryFailures.AssertTransient(await Fail(), null);
        DeliveryFailures.AssertTransient(await Fail(), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Header_values_and_urls_are_never_logged_nor_in_a_failure()
    {
        _api.On("POST", "/SECRET-hook", FakeHttpResponse.Text("ok"), FakeHttpResponse.Text("denied", 403));
        var context = new TestPluginContext(Some.Dict(("headers", Some.Dict(("Authorization", Token)))));
        var sink = BuiltInPlugins.Create("webhook", context);
        await sink.SendAsync(Item("m", _api.BaseUrl + "/SECRET-hook"), CancellationToken.None);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("m", _api.BaseUrl + "/SECRET-hook"), CancellationToken.None).AsTask());

        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_and_options_are_checked_when_the_configuration_loads()
    {
        Assert.Empty(BuiltInPlugins.Validate("webhook", "https://example.org/x"));
        Assert.Empty(BuiltInPlugins.Validate("webhook", Some.Dict(("url", "http://example.org/{a}"), ("method", "delete"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("webhook", "ftp://example.org"));
        Assert.NotEmpty(BuiltInPlugins.Validate("webhook", Some.List("https://a", "https://b")));
        Assert.NotEmpty(BuiltInPlugins.Validate("webhook", Some.Dict(("method", "POST"))));
        Assert.Contains("unknown key 'uri'", Assert.Single(BuiltInPlugins.Validate("webhook", Some.Dict(("uri", "https://example.org")))));
        Assert.NotEmpty(BuiltInPlugins.Validate("webhook", Some.Dict(("url", "https://example.org"), ("method", "TRACE"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("webhook", Some.Dict(("url", "https://example.org"), ("headers", Some.Dict(("Content-Type", "x/y"))))));
        Assert.NotEmpty(BuiltInPlugins.Validate("webhook", Some.Dict(("url", "https://example.org"), ("headers", "X-A: 1"))));

        var badOptions = BuiltInPlugins.Activate("webhook", Some.Dict(("method", "FETCH"), ("content_type", "not a type"), ("headers", Some.Dict(("X-A", "a\r\nX-B: b")))));
        Assert.Null(badOptions.Instance);
        Assert.Equal(["content_type", "headers", "method"], badOptions.Diagnostics.Select(d => d.Key).Order());
        Assert.DoesNotContain(badOptions.Diagnostics, d => d.Message.Contains("X-B: b", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hub_notify_posts_the_templated_body_with_a_header_from_the_environment()
    {
        _api.On("POST", "/notify", FakeHttpResponse.Text("ok"));
        Environment.SetEnvironmentVariable("HUB_TEST_WEBHOOK_TOKEN", "SECRET-env");
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $$$"""
            [defaults]
            plugins = '{{{Repo.PluginDirectory}}}'
            launch = webhook

            [config:webhook]
            headers = {'Authorization': 'Bearer $ENV:HUB_TEST_WEBHOOK_TOKEN'}
            content_type = 'application/json'
            body = '{{"text": "{message}", "title": "{title}"}}'
            targets = { 'ops': '{{{_api.BaseUrl}}}/notify' }
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "webhook:ops", "disk full", "--title", "Disk", "--config", config);

        Assert.True(code == 0, error + output);
        var request = Assert.Single(_api.Requests);
        Assert.Equal("Bearer SECRET-env", request.Header("Authorization"));
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("""{"text": "disk full", "title": "Disk"}""", request.BodyText);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private static ISink Sink(params (string Key, object? Value)[] options) => BuiltInPlugins.Create("webhook", new TestPluginContext(Some.Dict(options)));

    private static Dictionary<string, object?> Data(params (string Key, object? Value)[] entries) => entries.ToDictionary(e => e.Key, e => e.Value);

    private static DeliveryItem Item(string message, object? descriptor, IReadOnlyDictionary<string, object?>? data = null, string title = "", int priority = 0) => new()
    {
        Service = "webhook",
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
