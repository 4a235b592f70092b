using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Pagerduty;

/// <summary>The pagerduty plugin against a local stand-in of the Events API v2.</summary>
public sealed class PagerdutySinkTests : IAsyncLifetime
{
    private const string Key = "R0UTSECRET";
    private const string Accepted = """{"status": "success", "message": "Event processed", "dedup_key": "srv01/HTTP"}""";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_trigger_carries_the_summary_source_severity_and_the_data_as_details()
    {
        _api.On("POST", "/v2/enqueue", FakeHttpResponse.Json(Accepted, 202));
        var data = new Dictionary<string, object?> { ["topic"] = "sensors/pump7/alarm", ["temp"] = 95L };
        await Sink(("routing_key", Key), ("dedup_key", "{topic}"), ("component", "pump"))
            .SendAsync(Item("pump 7 is hot", Some.List(), title: "Alarm", priority: 1, data: data, topic: "sensors/pump7/alarm"), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal(("POST", "/v2/enqueue"), (request.Method, request.Path));
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Null(request.Header("Authorization"));
        Assert.Equal(
            """{"routing_key":"R0UTSECRET","event_action":"trigger","dedup_key":"sensors/pump7/alarm","payload":{"summary":"pump 7 is hot","source":"sensors/pump7/alarm","severity":"error","component":"pump","custom_details":{"title":"Alarm","topic":"sensors/pump7/alarm","temp":95}}}""",
            request.BodyText);
    }

    [Theory]
    [InlineData(-2, "info")]
    [InlineData(-1, "info")]
    [InlineData(0, "warning")]
    [InlineData(1, "error")]
    [InlineData(2, "critical")]
    [InlineData(5, "critical")]
    public async Task The_severity_comes_from_the_priority(int priority, string severity)
    {
        _api.On("POST", "/v2/enqueue", FakeHttpResponse.Json(Accepted, 202));
        await Sink(("routing_key", Key)).SendAsync(Item("x", Some.List(), priority: priority), CancellationToken.None);

        Assert.Equal(severity, Assert.Single(_api.Requests).Json.GetProperty("payload").GetProperty("severity").GetString());
    }

    [Fact]
    public async Task Data_wins_over_the_target_which_wins_over_the_options()
    {
        _api.On("POST", "/v2/enqueue", FakeHttpResponse.Json(Accepted, 202));
        var target = Some.Dict(("routing_key", "R0UTE2"), ("group", "building-{building}"), ("severity", "info"), ("source", "target-src"));
        var data = new Dictionary<string, object?> { ["building"] = "b7", ["severity"] = "critical" };
        await Sink(("routing_key", Key), ("group", "g"), ("class", "temperature"), ("source", "opt-src")).SendAsync(Item("x", target, data: data), CancellationToken.None);

        var json = Assert.Single(_api.Requests).Json;
        var payload = json.GetProperty("payload");
        Assert.Equal("R0UTE2", json.GetProperty("routing_key").GetString());
        Assert.False(json.TryGetProperty("dedup_key", out _));
        Assert.Equal(("building-b7", "critical", "target-src", "temperature"),
            (payload.GetProperty("group").GetString(), payload.GetProperty("severity").GetString(), payload.GetProperty("source").GetString(), payload.GetProperty("class").GetString()));
    }

    [Fact]
    public async Task A_resolve_from_the_data_sends_only_the_key_the_action_and_the_dedup_key()
    {
        _api.On("POST", "/v2/enqueue", FakeHttpResponse.Json(Accepted, 202));
        var data = new Dictionary<string, object?> { ["topic"] = "sensors/pump7/alarm", ["event_action"] = "resolve" };
        await Sink(("routing_key", Key), ("dedup_key", "{topic}")).SendAsync(Item("back to normal", Some.List(), data: data), CancellationToken.None);

        Assert.Equal("""{"routing_key":"R0UTSECRET","event_action":"resolve","dedup_key":"sensors/pump7/alarm"}""", Assert.Single(_api.Requests).BodyText);
    }

    [Fact]
    public async Task Resolving_without_a_dedup_key_fails_permanently_without_a_request()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink(("routing_key", Key), ("event_action", "resolve")).SendAsync(Item("x", Some.List()), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Contains("dedup_key", error.Message);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task The_summary_is_cut_at_1024_characters()
    {
        _api.On("POST", "/v2/enqueue", FakeHttpResponse.Json(Accepted, 202));
        await Sink(("routing_key", Key)).SendAsync(Item(new string('x', 2000), Some.List()), CancellationToken.None);

        Assert.Equal(1024, Assert.Single(_api.Requests).Json.GetProperty("payload").GetProperty("summary").GetString()!.Length);
    }

    [Fact]
    public async Task An_invalid_event_is_permanent_with_pagerdutys_errors()
    {
        _api.On("POST", "/v2/enqueue", FakeHttpResponse.Json("""{"status": "invalid event", "message": "Event object is invalid", "errors": ["'routing_key' is invalid"]}""", 400));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink(("routing_key", Key)).SendAsync(Item("x", Some.List()), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("pagerduty enqueue failed: HTTP 400: Event object is invalid: 'routing_key' is invalid", error.Message);
    }

    [Theory]
    [InlineData(429, "30", 30)]
    [InlineData(500, null, null)]
    public async Task Throttling_and_server_errors_are_transient(int status, string? retryAfter, int? seconds)
    {
        var response = FakeHttpResponse.Json("""{"status": "throttle event", "message": "Requests for this service are arriving too quickly."}""", status);
        _api.On("POST", "/v2/enqueue", retryAfter is null ? response : response with { Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter } });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink(("routing_key", Key)).SendAsync(Item("x", Some.List()), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, seconds is { } s ? TimeSpan.FromSeconds(s) : null);
    }

    [Fact]
    public async Task An_unreachable_api_is_transient_and_the_routing_key_never_reaches_the_log()
    {
        _api.On("POST", "/v2/enqueue", FakeHttpResponse.Json(Accepted, 202));
        var context = new TestPluginContext(Some.Dict(("api_url", _api.BaseUrl), ("routing_key", Key)));
        await BuiltInPlugins.Create("pagerduty", context).SendAsync(Item("x", Some.List()), CancellationToken.None);
        var unreachable = BuiltInPlugins.Create("pagerduty", new TestPluginContext(Some.Dict(("api_url", Loopback.ClosedUrl()), ("routing_key", Key))));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => unreachable.SendAsync(Item("x", Some.List()), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_needs_a_routing_key_from_somewhere_and_known_values()
    {
        var withKey = PushItems.Options(("routing_key", Key));
        Assert.Empty(BuiltInPlugins.Validate("pagerduty", Some.List(), withKey));
        Assert.Empty(BuiltInPlugins.Validate("pagerduty", Some.List("R2")));
        Assert.Empty(BuiltInPlugins.Validate("pagerduty", Some.Dict(("routing_key", "R2"), ("event_action", "resolve"), ("severity", "info"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("pagerduty", Some.List()));
        Assert.NotEmpty(BuiltInPlugins.Validate("pagerduty", Some.List("a", "b")));
        Assert.NotEmpty(BuiltInPlugins.Validate("pagerduty", Some.Dict(("event_action", "close")), withKey));
        Assert.NotEmpty(BuiltInPlugins.Validate("pagerduty", Some.Dict(("severity", "high")), withKey));
        Assert.NotEmpty(BuiltInPlugins.Validate("pagerduty", Some.Dict(("routing", "R2")), withKey));
        Assert.Contains(BuiltInPlugins.Activate("pagerduty", PushItems.Options(("event_action", "close"))).Diagnostics, d => d.Key == "event_action");
    }

    [Fact]
    public async Task Hub_notify_triggers_an_alert()
    {
        _api.On("POST", "/v2/enqueue", FakeHttpResponse.Json(Accepted, 202));
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $$"""
            [defaults]
            plugins = '{{Repo.PluginDirectory}}'
            launch = pagerduty

            [config:pagerduty]
            api_url = '{{_api.BaseUrl}}'
            routing_key = '{{Key}}'
            source = 'pump-house'
            targets = { 'ops': [] }
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "pagerduty:ops", "disk full", "--priority", "2", "--config", config);

        Assert.True(code == 0, error + output);
        var json = Assert.Single(_api.Requests).Json;
        Assert.Equal(("trigger", "disk full", "pump-house", "critical"), (json.GetProperty("event_action").GetString(),
            json.GetProperty("payload").GetProperty("summary").GetString(), json.GetProperty("payload").GetProperty("source").GetString(),
            json.GetProperty("payload").GetProperty("severity").GetString()));
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private ISink Sink(params (string Key, object? Value)[] options) => BuiltInPlugins.Create("pagerduty", new TestPluginContext(Some.Dict([("api_url", _api.BaseUrl), .. options])));

    private static DeliveryItem Item(string message, object? descriptor, string title = "", int priority = 0, IReadOnlyDictionary<string, object?>? data = null, string topic = "t/1") =>
        PushItems.Item("pagerduty", message, descriptor, title, priority, data, topic: topic);
}
