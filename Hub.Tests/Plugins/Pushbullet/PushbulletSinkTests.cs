using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Pushbullet;

/// <summary>The pushbullet plugin against a local stand-in of the Pushbullet API.</summary>
public sealed class PushbulletSinkTests : IAsyncLifetime
{
    private const string Token = "o.SECRETtoken";
    private const string Pushed = """{"active": true, "iden": "ujpah72o0sjAoRtnM0jc", "type": "note", "dismissed": false}""";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_note_is_posted_with_the_access_token_to_the_device_of_a_list_target()
    {
        _api.On("POST", "/v2/pushes", FakeHttpResponse.Json(Pushed));
        await Sink().SendAsync(Item("pump 7 is hot", Some.List(Token, "dev1"), title: "Alarm"), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal(("POST", "/v2/pushes"), (request.Method, request.Path));
        Assert.Equal(Token, request.Header("Access-Token"));
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal("""{"type":"note","title":"Alarm","body":"pump 7 is hot","device_iden":"dev1"}""", request.BodyText);
    }

    [Theory]
    [InlineData("email", "email")]
    [InlineData("channel", "channel_tag")]
    [InlineData("client", "client_iden")]
    [InlineData("device", "device_iden")]
    public async Task The_recipient_type_of_a_dict_target_names_the_field(string type, string field)
    {
        _api.On("POST", "/v2/pushes", FakeHttpResponse.Json(Pushed));
        await Sink().SendAsync(Item("x", Some.Dict(("access_token", Token), ("recipient", "r1"), ("recipient_type", type))), CancellationToken.None);

        var json = Assert.Single(_api.Requests).Json;
        Assert.Equal("r1", json.GetProperty(field).GetString());
        Assert.Equal(4, json.EnumerateObject().Count());
    }

    [Fact]
    public async Task A_list_target_may_name_pushbulletss_field_and_without_a_title_mqttwarns_default_is_the_program_name()
    {
        _api.On("POST", "/v2/pushes", FakeHttpResponse.Json(Pushed));
        await Sink().SendAsync(Item("x", Some.List(Token, "house", "channel_tag")), CancellationToken.None);
        await Sink().SendAsync(Item("y", Some.Dict(("access_token", Token))), CancellationToken.None);

        Assert.Equal("""{"type":"note","title":"hub","body":"x","channel_tag":"house"}""", _api.Requests[0].BodyText);
        Assert.Equal("""{"type":"note","title":"hub","body":"y"}""", _api.Requests[1].BodyText);
    }

    [Fact]
    public async Task A_refusal_is_permanent_with_pushbullets_message()
    {
        _api.On("POST", "/v2/pushes", FakeHttpResponse.Json("""{"error": {"cat": "~(=^‥^)", "message": "Access token is missing or invalid.", "type": "invalid_request"}}""", 401));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Some.List(Token, "dev1")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("pushbullet pushes failed: HTTP 401: Access token is missing or invalid.", error.Message);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, "60", 60)]
    [InlineData(500, null, null)]
    public async Task Rate_limits_and_server_errors_are_transient(int status, string? retryAfter, int? seconds)
    {
        var response = FakeHttpResponse.Json("""{"error": {"message": "slow down", "type": "ratelimited"}}""", status);
        _api.On("POST", "/v2/pushes", retryAfter is null ? response : response with { Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter } });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Some.List(Token, "dev1")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, seconds is { } s ? TimeSpan.FromSeconds(s) : null);
        Assert.StartsWith($"pushbullet pushes failed: HTTP {status}: slow down", error.Message);
    }

    [Fact]
    public async Task An_unreachable_api_is_transient_and_the_token_never_reaches_the_log()
    {
        _api.On("POST", "/v2/pushes", FakeHttpResponse.Json(Pushed));
        var context = new TestPluginContext(Some.Dict(("api_url", _api.BaseUrl)));
        await BuiltInPlugins.Create("pushbullet", context).SendAsync(Item("x", Some.List(Token, "dev1")), CancellationToken.None);
        var unreachable = BuiltInPlugins.Create("pushbullet", new TestPluginContext(Some.Dict(("api_url", Loopback.ClosedUrl()))));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => unreachable.SendAsync(Item("x", Some.List(Token, "dev1")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_is_mqttwarns_list_or_dict()
    {
        Assert.Empty(BuiltInPlugins.Validate("pushbullet", Some.List(Token, "dev1")));
        Assert.Empty(BuiltInPlugins.Validate("pushbullet", Some.List(Token, "a@b.org", "email")));
        Assert.Empty(BuiltInPlugins.Validate("pushbullet", Some.Dict(("access_token", Token), ("recipient", "house"), ("recipient_type", "channel"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("pushbullet", Some.List(Token)));
        Assert.NotEmpty(BuiltInPlugins.Validate("pushbullet", Some.List(Token, "dev1", "phone")));
        Assert.NotEmpty(BuiltInPlugins.Validate("pushbullet", Some.Dict(("recipient", "dev1"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("pushbullet", Some.Dict(("access_token", Token), ("recipient_type", "email"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("pushbullet", Some.Dict(("access_token", Token), ("device", "dev1"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("pushbullet", Token));
    }

    [Fact]
    public async Task Hub_notify_pushes_a_note()
    {
        _api.On("POST", "/v2/pushes", FakeHttpResponse.Json(Pushed));
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $$"""
            [defaults]
            plugins = '{{Repo.PluginDirectory}}'
            launch = pushbullet

            [config:pushbullet]
            api_url = '{{_api.BaseUrl}}'
            targets = { 'jane': {'access_token': '{{Token}}', 'recipient': 'jane@example.org', 'recipient_type': 'email'} }
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "pushbullet:jane", "disk full", "--title", "Disk", "--config", config);

        Assert.True(code == 0, error + output);
        var request = Assert.Single(_api.Requests);
        Assert.Equal(Token, request.Header("Access-Token"));
        Assert.Equal("""{"type":"note","title":"Disk","body":"disk full","email":"jane@example.org"}""", request.BodyText);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private ISink Sink() => BuiltInPlugins.Create("pushbullet", new TestPluginContext(Some.Dict(("api_url", _api.BaseUrl))));

    private static DeliveryItem Item(string message, object? descriptor, string title = "") => PushItems.Item("pushbullet", message, descriptor, title);
}
