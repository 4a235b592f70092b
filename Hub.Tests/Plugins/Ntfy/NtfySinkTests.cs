using System.Text;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Ntfy;

/// <summary>The ntfy plugin against a local stand-in of an ntfy server.</summary>
public sealed class NtfySinkTests : IAsyncLifetime
{
    private const string Published = """{"id": "sPs71M8A2T", "time": 1712345678, "event": "message", "topic": "alerts", "message": "x"}""";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private string Topic => _api.BaseUrl + "/alerts";

    [Fact]
    public async Task A_text_target_gets_the_message_as_the_body_and_the_title_as_a_header()
    {
        _api.On("POST", "/alerts", FakeHttpResponse.Json(Published));
        await Sink().SendAsync(Item("pump 7 is hot\nat 95 °C", Topic, title: "Alarm"), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal(("POST", "/alerts", ""), (request.Method, request.Path, request.Query));
        Assert.Equal("pump 7 is hot\nat 95 °C", request.BodyText);
        Assert.Equal("Alarm", request.Header("X-Title"));
        Assert.Null(request.Header("X-Message"));
        Assert.Null(request.Header("Authorization"));
    }

    [Fact]
    public async Task Every_ntfy_field_of_a_dict_target_becomes_its_header()
    {
        _api.On("POST", "/alerts", FakeHttpResponse.Json(Published));
        var target = Some.Dict(("url", Topic), ("tags", "warning,skull"), ("priority", 5L), ("actions", "view, Open, https://x.org"), ("click", "https://x.org/c"),
            ("attach", "https://x.org/a.jpg"), ("filename", "a.jpg"), ("delay", "30m"), ("icon", "https://x.org/i.png"), ("email", "me@x.org"),
            ("cache", "no"), ("firebase", false), ("unifiedpush", "1"));
        await Sink().SendAsync(Item("m", target, title: "T"), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        var expected = new Dictionary<string, string>
        {
            ["X-Title"] = "T", ["X-Tags"] = "warning,skull", ["X-Priority"] = "5", ["X-Actions"] = "view, Open, https://x.org", ["X-Click"] = "https://x.org/c",
            ["X-Attach"] = "https://x.org/a.jpg", ["X-Filename"] = "a.jpg", ["X-Delay"] = "30m", ["X-Icon"] = "https://x.org/i.png", ["X-Email"] = "me@x.org",
            ["X-Cache"] = "no", ["X-Firebase"] = "no", ["X-UnifiedPush"] = "1",
        };
        Assert.Equal(expected, request.Headers.Where(h => h.Key.StartsWith("X-", StringComparison.OrdinalIgnoreCase)).ToDictionary(h => h.Key, h => h.Value));
        Assert.Equal("m", request.BodyText);
    }

    [Fact]
    public async Task Data_wins_over_the_target_which_wins_over_the_options_and_values_are_formatted()
    {
        _api.On("POST", "/alerts", FakeHttpResponse.Json(Published));
        var target = Some.Dict(("url", Topic), ("title", "Door {name}"), ("tags", "door"), ("priority", "high"));
        var data = new Dictionary<string, object?> { ["name"] = "front", ["priority"] = "urgent" };
        await Sink(("tags", "house"), ("priority", "low"), ("click", "https://home/{name}"))
            .SendAsync(Item("open", target, title: "ignored: the target has a title", data: data), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("Door front", request.Header("X-Title"));
        Assert.Equal("door", request.Header("X-Tags"));
        Assert.Equal("urgent", request.Header("X-Priority"));
        Assert.Equal("https://home/front", request.Header("X-Click"));
    }

    [Fact]
    public async Task Non_ascii_header_values_are_rfc_2047_encoded_and_line_breaks_become_spaces()
    {
        _api.On("POST", "/alerts", FakeHttpResponse.Json(Published));
        await Sink().SendAsync(Item("m", Some.Dict(("url", Topic), ("tags", "⚽")), title: "Température\nhaute"), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("=?utf-8?b?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("Température haute")) + "?=", request.Header("X-Title"));
        Assert.Equal("=?utf-8?b?4pq9?=", request.Header("X-Tags"));
    }

    [Fact]
    public async Task A_file_is_put_as_the_body_with_the_message_in_a_header_and_may_be_deleted_afterwards()
    {
        _api.On("PUT", "/alerts", FakeHttpResponse.Json(Published));
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("cam-front.png"), PushItems.Png);
        var target = Some.Dict(("url", Topic), ("file", "cam-{name}.png"), ("__settings__", Some.Dict(("file_unlink", true), ("file_retry_tries", 10L))));
        var sink = BuiltInPlugins.Create("ntfy", new TestPluginContext(configDirectory: temp.Path));
        await sink.SendAsync(Item("Motion ⚠", target, title: "Camera", data: new Dictionary<string, object?> { ["name"] = "front" }), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal(PushItems.Png, request.Body);
        Assert.Equal("=?utf-8?b?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("Motion ⚠")) + "?=", request.Header("X-Message"));
        Assert.Equal("cam-front.png", request.Header("X-Filename"));
        Assert.Equal("Camera", request.Header("X-Title"));
        Assert.False(File.Exists(temp.File("cam-front.png")));
    }

    [Fact]
    public async Task A_binary_payload_is_posted_as_it_is_for_ntfy_to_keep_as_an_attachment()
    {
        _api.On("POST", "/alerts", FakeHttpResponse.Json(Published));
        var item = new DeliveryItem
        {
            Service = "ntfy", Section = "cam", Target = "t", Addrs = Topic, Topic = "cam", Title = "Snapshot",
            Payload = PushItems.Png, Message = "\uFFFDPNG", MessageBytes = PushItems.Png, IsBinary = true,
        };
        await Sink().SendAsync(item, CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal(PushItems.Png, request.Body);
        Assert.Equal("Snapshot", request.Header("X-Title"));
    }

    [Fact]
    public async Task A_missing_file_is_a_transient_failure()
    {
        using var temp = new TempDirectory();
        var sink = BuiltInPlugins.Create("ntfy", new TestPluginContext(configDirectory: temp.Path));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("m", Some.Dict(("url", Topic), ("file", "nope.jpg"))), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task A_token_is_sent_as_bearer_and_a_user_with_password_as_basic()
    {
        _api.On("POST", "/alerts", FakeHttpResponse.Json(Published));
        await Sink(("token", "tk_SECRET")).SendAsync(Item("m", Topic), CancellationToken.None);
        await Sink(("user", "phil"), ("password", "SECRETpw")).SendAsync(Item("m", Topic), CancellationToken.None);

        Assert.Equal("Bearer tk_SECRET", _api.Requests[0].Header("Authorization"));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("phil:SECRETpw")), _api.Requests[1].Header("Authorization"));
    }

    [Fact]
    public async Task A_refusal_is_permanent_with_ntfys_error()
    {
        _api.On("POST", "/alerts", FakeHttpResponse.Json("""{"code": 40301, "http": 403, "error": "forbidden", "link": "https://ntfy.sh/docs/publish/#authentication"}""", 403));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink(("token", "tk_SECRET")).SendAsync(Item("m", Topic), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("ntfy publish failed: HTTP 403: forbidden", error.Message);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("/alerts", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, "7", 7)]
    [InlineData(503, null, null)]
    public async Task Rate_limits_and_server_errors_are_transient(int status, string? retryAfter, int? seconds)
    {
        var response = FakeHttpResponse.Json("""{"code": 42901, "error": "limit reached"}""", status);
        _api.On("POST", "/alerts", retryAfter is null ? response : response with { Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter } });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("m", Topic), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, seconds is { } s ? TimeSpan.FromSeconds(s) : null);
    }

    [Fact]
    public async Task An_unreachable_server_is_transient_and_credentials_never_reach_the_log()
    {
        _api.On("POST", "/alerts", FakeHttpResponse.Json(Published));
        var context = new TestPluginContext(Some.Dict(("token", "tk_SECRET")));
        var sink = BuiltInPlugins.Create("ntfy", context);
        await sink.SendAsync(Item("m", Topic), CancellationToken.None);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("m", Loopback.ClosedUrl() + "/SECRETtopic"), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal) || r.Message.Contains("/alerts", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_is_a_topic_url_or_a_dict_with_a_url_and_known_fields()
    {
        Assert.Empty(BuiltInPlugins.Validate("ntfy", "https://ntfy.sh/alerts"));
        Assert.Empty(BuiltInPlugins.Validate("ntfy", Some.Dict(("url", "https://ntfy.sh/alerts"), ("title", "x"), ("__settings__", Some.Dict(("file_unlink", true))))));
        Assert.NotEmpty(BuiltInPlugins.Validate("ntfy", "https://ntfy.sh/"));
        Assert.NotEmpty(BuiltInPlugins.Validate("ntfy", "ntfy.sh/alerts"));
        Assert.NotEmpty(BuiltInPlugins.Validate("ntfy", Some.List("https://ntfy.sh/alerts")));
        Assert.NotEmpty(BuiltInPlugins.Validate("ntfy", Some.Dict(("title", "no url"))));
        Assert.Contains("'titel'", Assert.Single(BuiltInPlugins.Validate("ntfy", Some.Dict(("url", "https://ntfy.sh/a"), ("titel", "typo")))));
        Assert.NotEmpty(BuiltInPlugins.Validate("ntfy", Some.Dict(("url", "https://ntfy.sh/a"), ("__settings__", Some.Dict(("nope", 1L))))));
        Assert.Contains(BuiltInPlugins.Activate("ntfy", PushItems.Options(("user", "phil"))).Diagnostics, d => d.Key == "password");
    }

    [Fact]
    public async Task Hub_notify_publishes_to_the_topic()
    {
        _api.On("POST", "/alerts", FakeHttpResponse.Json(Published));
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $$"""
            [defaults]
            plugins = '{{Repo.PluginDirectory}}'
            launch = ntfy

            [config:ntfy]
            tags = house
            targets = { 'phone': {'url': '{{Topic}}', 'priority': 'high'} }
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "ntfy:phone", "disk full", "--title", "Disk", "--config", config);

        Assert.True(code == 0, error + output);
        var request = Assert.Single(_api.Requests);
        Assert.Equal(("POST", "disk full"), (request.Method, request.BodyText));
        Assert.Equal(("Disk", "house", "high"), (request.Header("X-Title"), request.Header("X-Tags"), request.Header("X-Priority")));
    }

    private ISink Sink(params (string Key, object? Value)[] options) => BuiltInPlugins.Create("ntfy", new TestPluginContext(Some.Dict(options)));

    private static DeliveryItem Item(string message, object? descriptor, string title = "", IReadOnlyDictionary<string, object?>? data = null) =>
        PushItems.Item("ntfy", message, descriptor, title, 0, data);
}
