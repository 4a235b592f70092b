using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Opsgenie;

/// <summary>The opsgenie plugin against a local stand-in of the Alert API.</summary>
public sealed class OpsgenieSinkTests : IAsyncLifetime
{
    private const string Key = "eb24-SECRET";
    private const string Accepted = """{"result": "Request will be processed", "took": 0.302, "requestId": "43a29c5c-3dbf-4fa4-9c26-f4f71023e120"}""";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task An_alert_has_the_title_as_message_the_text_as_description_and_the_geniekey()
    {
        _api.On("POST", "/v2/alerts", FakeHttpResponse.Json(Accepted, 202));
        var target = Some.Dict(("responders", Some.List("team:ops", Some.Dict(("type", "user"), ("username", "jane@example.org")))), ("tags", Some.List("pumps")));
        var data = new Dictionary<string, object?> { ["topic"] = "sensors/pump7/alarm" };
        await Sink(("api_key", Key), ("alias", "{topic}"), ("tags", Some.List("house")))
            .SendAsync(Item("pump 7 is hot", target, title: "Alarm", priority: 1, data: data, topic: "sensors/pump7/alarm"), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal(("POST", "/v2/alerts"), (request.Method, request.Path));
        Assert.Equal("GenieKey " + Key, request.Header("Authorization"));
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal(
            """{"message":"Alarm","description":"pump 7 is hot","alias":"sensors/pump7/alarm","priority":"P2","responders":[{"type":"team","name":"ops"},{"type":"user","username":"jane@example.org"}],"tags":["house","pumps"],"source":"sensors/pump7/alarm","details":{"topic":"sensors/pump7/alarm"}}""",
            request.BodyText);
    }

    [Theory]
    [InlineData(-3, "P5")]
    [InlineData(-2, "P5")]
    [InlineData(-1, "P4")]
    [InlineData(0, "P3")]
    [InlineData(1, "P2")]
    [InlineData(2, "P1")]
    [InlineData(9, "P1")]
    public async Task The_priority_is_mapped_to_p1_to_p5(int priority, string expected)
    {
        _api.On("POST", "/v2/alerts", FakeHttpResponse.Json(Accepted, 202));
        await Sink(("api_key", Key)).SendAsync(Item("x", Some.List(), priority: priority), CancellationToken.None);

        Assert.Equal(expected, Assert.Single(_api.Requests).Json.GetProperty("priority").GetString());
    }

    [Fact]
    public async Task Without_a_title_the_message_is_the_text_cut_at_130_characters()
    {
        _api.On("POST", "/v2/alerts", FakeHttpResponse.Json(Accepted, 202));
        var text = string.Concat(Enumerable.Repeat("0123456789", 20));
        await Sink(("api_key", Key)).SendAsync(Item(text, Some.List("OTHER-key")), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("GenieKey OTHER-key", request.Header("Authorization"));
        Assert.Equal(text[..130], request.Json.GetProperty("message").GetString());
        Assert.Equal(text, request.Json.GetProperty("description").GetString());
        Assert.Equal(["message", "description", "priority", "source", "details"], request.Json.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task An_unprocessable_alert_is_permanent_with_the_field_errors()
    {
        _api.On("POST", "/v2/alerts", FakeHttpResponse.Json("""{"message": "Request body is not processable. Please check the errors.", "errors": {"message": "Message can not be empty."}, "took": 0.1, "requestId": "x"}""", 422));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink(("api_key", Key)).SendAsync(Item("x", Some.List()), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("opsgenie alerts failed: HTTP 422: Request body is not processable. Please check the errors. (message: Message can not be empty.)", error.Message);
    }

    [Theory]
    [InlineData(429, "10", 10)]
    [InlineData(503, null, null)]
    public async Task Rate_limits_and_server_errors_are_transient(int status, string? retryAfter, int? seconds)
    {
        var response = FakeHttpResponse.Json("""{"message": "You are making too many requests!", "took": 0.0, "requestId": "x"}""", status);
        _api.On("POST", "/v2/alerts", retryAfter is null ? response : response with { Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter } });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink(("api_key", Key)).SendAsync(Item("x", Some.List()), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, seconds is { } s ? TimeSpan.FromSeconds(s) : null);
    }

    [Fact]
    public async Task An_unreachable_api_is_transient_and_the_key_never_reaches_the_log()
    {
        _api.On("POST", "/v2/alerts", FakeHttpResponse.Json(Accepted, 202));
        var context = new TestPluginContext(Some.Dict(("api_url", _api.BaseUrl), ("api_key", Key)));
        await BuiltInPlugins.Create("opsgenie", context).SendAsync(Item("x", Some.List()), CancellationToken.None);
        var unreachable = BuiltInPlugins.Create("opsgenie", new TestPluginContext(Some.Dict(("api_url", Loopback.ClosedUrl()), ("api_key", Key))));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => unreachable.SendAsync(Item("x", Some.List()), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_needs_a_key_from_somewhere_and_well_formed_responders()
    {
        var withKey = PushItems.Options(("api_key", Key));
        Assert.Empty(BuiltInPlugins.Validate("opsgenie", Some.List(), withKey));
        Assert.Empty(BuiltInPlugins.Validate("opsgenie", "K2"));
        Assert.Empty(BuiltInPlugins.Validate("opsgenie", Some.Dict(("responders", Some.List("escalation:night", Some.Dict(("type", "team"), ("id", "4513b7ea"))))), withKey));
        Assert.NotEmpty(BuiltInPlugins.Validate("opsgenie", Some.List()));
        Assert.NotEmpty(BuiltInPlugins.Validate("opsgenie", Some.Dict(("responders", Some.List("ops"))), withKey));
        Assert.NotEmpty(BuiltInPlugins.Validate("opsgenie", Some.Dict(("responders", Some.List(Some.Dict(("type", "group"), ("name", "x"))))), withKey));
        Assert.NotEmpty(BuiltInPlugins.Validate("opsgenie", Some.Dict(("responders", Some.List(Some.Dict(("type", "team"))))), withKey));
        Assert.NotEmpty(BuiltInPlugins.Validate("opsgenie", Some.Dict(("priority", "P1")), withKey));
    }

    [Fact]
    public async Task Hub_notify_creates_an_alert()
    {
        _api.On("POST", "/v2/alerts", FakeHttpResponse.Json(Accepted, 202));
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $$"""
            [defaults]
            plugins = '{{Repo.PluginDirectory}}'
            launch = opsgenie

            [config:opsgenie]
            api_url = '{{_api.BaseUrl}}'
            api_key = '{{Key}}'
            targets = { 'ops': {'responders': ['team:ops']} }
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "opsgenie:ops", "disk full", "--title", "Disk", "--priority", "2", "--config", config);

        Assert.True(code == 0, error + output);
        var request = Assert.Single(_api.Requests);
        Assert.Equal("GenieKey " + Key, request.Header("Authorization"));
        Assert.Equal(("Disk", "disk full", "P1", "ops"), (request.Json.GetProperty("message").GetString(), request.Json.GetProperty("description").GetString(),
            request.Json.GetProperty("priority").GetString(), request.Json.GetProperty("responders")[0].GetProperty("name").GetString()));
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private ISink Sink(params (string Key, object? Value)[] options) => BuiltInPlugins.Create("opsgenie", new TestPluginContext(Some.Dict([("api_url", _api.BaseUrl), .. options])));

    private static DeliveryItem Item(string message, object? descriptor, string title = "", int priority = 0, IReadOnlyDictionary<string, object?>? data = null, string topic = "t/1") =>
        PushItems.Item("opsgenie", message, descriptor, title, priority, data, topic: topic);
}
