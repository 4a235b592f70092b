using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Pushsafer;

/// <summary>The pushsafer plugin against a local stand-in of the Pushsafer API.</summary>
[Collection("PushEnvironment")]
public sealed class PushsaferSinkTests : IAsyncLifetime
{
    private const string Key = "SECRETkey";
    private const string Ok = """{"status": 1, "success": "message transmitted", "available": 987, "message_ids": "18265430:34,18265431:56"}""";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Named_parameters_are_posted_with_their_wire_names()
    {
        _api.On("POST", "/api", FakeHttpResponse.Json(Ok));
        var target = Some.Dict(("private_key", Key), ("device", "52|65"), ("icon", 64L), ("sound", 2L), ("vibration", 1L), ("url", "https://x.org"), ("url_title", "Open"),
            ("time_to_live", 60L), ("priority", 2L), ("retry", 120L), ("expire", 600L), ("answer", 1L), ("answer_options", "yes|no"), ("answer_force", 1L), ("confirm_repeat", 30L));
        await Sink().SendAsync(Item("pump 7 is hot", target, title: "Alarm"), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal(("POST", "/api"), (request.Method, request.Path));
        Assert.Equal("application/x-www-form-urlencoded", request.Header("Content-Type"));
        Assert.Equal(
            $"k={Key}&m=pump+7+is+hot&t=Alarm&d=52%7C65&i=64&s=2&v=1&u=https%3A%2F%2Fx.org&ut=Open&l=60&pr=2&re=120&ex=600&a=1&ao=yes%7Cno&af=1&cr=30",
            request.BodyText);
    }

    [Fact]
    public async Task The_documentations_spellings_answeroptions_answerforce_and_confirm_are_accepted()
    {
        _api.On("POST", "/api", FakeHttpResponse.Json(Ok));
        await Sink().SendAsync(Item("x", Some.Dict(("private_key", Key), ("answeroptions", "a|b"), ("answerforce", 1L), ("confirm", 60L))), CancellationToken.None);

        Assert.Equal($"k={Key}&m=x&ao=a%7Cb&af=1&cr=60", Assert.Single(_api.Requests).BodyText);
    }

    [Fact]
    public async Task The_legacy_list_is_positional_and_empty_values_are_left_out()
    {
        _api.On("POST", "/api", FakeHttpResponse.Json(Ok));
        await Sink().SendAsync(Item("x", Some.List(Key, "52", "", "8", null, "https://x.org"), title: "T"), CancellationToken.None);

        Assert.Equal($"k={Key}&m=x&t=T&d=52&s=8&u=https%3A%2F%2Fx.org", Assert.Single(_api.Requests).BodyText);
    }

    [Fact]
    public async Task Without_a_key_in_the_target_pushsafer_token_is_used()
    {
        _api.On("POST", "/api", FakeHttpResponse.Json(Ok));
        using var environment = new PushEnvironment(("PUSHSAFER_TOKEN", "ENVkey"));
        await Sink().SendAsync(Item("x", Some.Dict(("device", "a"))), CancellationToken.None);

        Assert.Equal("k=ENVkey&m=x&d=a", Assert.Single(_api.Requests).BodyText);
    }

    [Fact]
    public async Task Status_0_is_a_permanent_failure_with_pushsafers_error()
    {
        _api.On("POST", "/api", FakeHttpResponse.Json("""{"status": 0, "error": "invalid device"}"""));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Some.List(Key, "999")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("pushsafer api failed: invalid device", error.Message);
    }

    [Fact]
    public async Task Http_400_is_permanent()
    {
        _api.On("POST", "/api", FakeHttpResponse.Json("""{"status": 0, "error": "invalid key"}""", 400));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Some.List(Key)), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("pushsafer api failed: HTTP 400: invalid key", error.Message);
    }

    [Theory]
    [InlineData(429, "20", 20)]
    [InlineData(500, null, null)]
    public async Task Rate_limits_and_server_errors_are_transient(int status, string? retryAfter, int? seconds)
    {
        var response = FakeHttpResponse.Text("try later", status);
        _api.On("POST", "/api", retryAfter is null ? response : response with { Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter } });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Some.List(Key)), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, seconds is { } s ? TimeSpan.FromSeconds(s) : null);
    }

    [Fact]
    public async Task An_unreachable_api_is_transient_and_the_key_never_reaches_the_log()
    {
        _api.On("POST", "/api", FakeHttpResponse.Json(Ok));
        var context = new TestPluginContext(Some.Dict(("api_url", _api.BaseUrl)));
        await BuiltInPlugins.Create("pushsafer", context).SendAsync(Item("x", Some.List(Key)), CancellationToken.None);
        var unreachable = BuiltInPlugins.Create("pushsafer", new TestPluginContext(Some.Dict(("api_url", Loopback.ClosedUrl()))));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => unreachable.SendAsync(Item("x", Some.List(Key)), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_is_a_dict_of_known_names_or_a_list_of_at_most_fifteen()
    {
        using var environment = new PushEnvironment(("PUSHSAFER_TOKEN", null));
        Assert.Empty(BuiltInPlugins.Validate("pushsafer", Some.List(Key)));
        Assert.Empty(BuiltInPlugins.Validate("pushsafer", Some.Dict(("private_key", Key), ("answerforce", 1L))));
        Assert.NotEmpty(BuiltInPlugins.Validate("pushsafer", Some.List()));
        Assert.NotEmpty(BuiltInPlugins.Validate("pushsafer", Some.List([Key, .. Enumerable.Repeat<object?>("1", 15)])));
        Assert.Contains("PUSHSAFER_TOKEN", Assert.Single(BuiltInPlugins.Validate("pushsafer", Some.Dict(("device", "a")))));
        Assert.Contains("'devise'", Assert.Single(BuiltInPlugins.Validate("pushsafer", Some.Dict(("private_key", Key), ("devise", "a")))));
        Assert.NotEmpty(BuiltInPlugins.Validate("pushsafer", Key));
    }

    [Fact]
    public async Task Hub_notify_sends_the_message()
    {
        _api.On("POST", "/api", FakeHttpResponse.Json(Ok));
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $$"""
            [defaults]
            plugins = '{{Repo.PluginDirectory}}'
            launch = pushsafer

            [config:pushsafer]
            api_url = '{{_api.BaseUrl}}'
            targets = { 'phone': {'private_key': '{{Key}}', 'device': '52', 'sound': 8} }
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "pushsafer:phone", "disk full", "--title", "Disk", "--config", config);

        Assert.True(code == 0, error + output);
        Assert.Equal($"k={Key}&m=disk+full&t=Disk&d=52&s=8", Assert.Single(_api.Requests).BodyText);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private ISink Sink() => BuiltInPlugins.Create("pushsafer", new TestPluginContext(Some.Dict(("api_url", _api.BaseUrl))));

    private static DeliveryItem Item(string message, object? descriptor, string title = "") => PushItems.Item("pushsafer", message, descriptor, title);
}
