using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Pushover;

/// <summary>The pushover plugin against a local stand-in of the Pushover API.</summary>
[Collection("PushEnvironment")]
public sealed class PushoverSinkTests : IAsyncLifetime
{
    private const string User = "uSECRETuser";
    private const string App = "aSECRETapp";
    private const string Ok = """{"status": 1, "request": "647d2300-702c-4b38-8b2f-d56326ae460b"}""";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_message_is_posted_form_encoded_with_title_priority_sound_and_device()
    {
        _api.On("POST", "/1/messages.json", FakeHttpResponse.Json(Ok));
        await Sink().SendAsync(Item("pump 7 is hot", Some.List(User, App, "siren", "iphone,tablet"), title: "Alarm", priority: 1), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/1/messages.json", request.Path);
        Assert.Equal("application/x-www-form-urlencoded", request.Header("Content-Type"));
        Assert.Equal($"token={App}&user={User}&message=pump+7+is+hot&title=Alarm&priority=1&sound=siren&device=iphone%2Ctablet", request.BodyText);
    }

    [Fact]
    public async Task Emergency_priority_adds_retry_expire_and_callback_from_the_options()
    {
        _api.On("POST", "/1/messages.json", FakeHttpResponse.Json(Ok));
        await Sink(("api_retry", 45L), ("api_expire", 1800L), ("callback", "https://example.org/ack"))
            .SendAsync(Item("fire", Some.List(User, App), priority: 2), CancellationToken.None);

        Assert.Equal($"token={App}&user={User}&message=fire&priority=2&retry=45&expire=1800&callback=https%3A%2F%2Fexample.org%2Fack", Assert.Single(_api.Requests).BodyText);
    }

    [Fact]
    public async Task Retry_and_expire_from_the_data_win_and_are_clamped_to_pushovers_limits()
    {
        _api.On("POST", "/1/messages.json", FakeHttpResponse.Json(Ok));
        var data = new Dictionary<string, object?> { ["retry"] = 15L, ["expire"] = 900000L };
        await Sink(("api_retry", 45L)).SendAsync(Item("fire", Some.List(User, App), priority: 2, data: data), CancellationToken.None);

        var form = Form(Assert.Single(_api.Requests).BodyText);
        Assert.Equal("30", form["retry"]);
        Assert.Equal("10800", form["expire"]);
    }

    [Fact]
    public async Task Without_emergency_priority_there_is_no_retry_nor_expire()
    {
        _api.On("POST", "/1/messages.json", FakeHttpResponse.Json(Ok));
        await Sink(("api_retry", 45L), ("callback", "https://example.org/ack")).SendAsync(Item("x", Some.List(User, App), priority: 1), CancellationToken.None);

        var form = Form(Assert.Single(_api.Requests).BodyText);
        Assert.False(form.ContainsKey("retry"));
        Assert.False(form.ContainsKey("expire"));
        Assert.False(form.ContainsKey("callback"));
    }

    [Fact]
    public async Task Keys_given_as_None_and_the_emergency_defaults_come_from_the_environment()
    {
        _api.On("POST", "/1/messages.json", FakeHttpResponse.Json(Ok));
        using var environment = new PushEnvironment(("PUSHOVER_USER", "uENV"), ("PUSHOVER_TOKEN", "aENV"), ("PUSHOVER_API_RETRY", "90"), ("PUSHOVER_API_EXPIRE", "600"));
        await Sink().SendAsync(Item("x", Some.List(null, null), priority: 2), CancellationToken.None);

        Assert.Equal("token=aENV&user=uENV&message=x&priority=2&retry=90&expire=600", Assert.Single(_api.Requests).BodyText);
    }

    [Fact]
    public async Task Without_options_or_environment_emergency_messages_repeat_every_minute_for_an_hour()
    {
        _api.On("POST", "/1/messages.json", FakeHttpResponse.Json(Ok));
        await Sink().SendAsync(Item("x", Some.List(User, App), priority: 2), CancellationToken.None);

        var form = Form(Assert.Single(_api.Requests).BodyText);
        Assert.Equal(("60", "3600"), (form["retry"], form["expire"]));
    }

    [Fact]
    public async Task Data_message_html_url_and_url_title_are_sent()
    {
        _api.On("POST", "/1/messages.json", FakeHttpResponse.Json(Ok));
        var data = new Dictionary<string, object?> { ["message"] = "<b>hot</b>", ["html"] = true, ["url"] = "https://example.org/pump", ["url_title"] = "Pump 7" };
        await Sink().SendAsync(Item("formatted", Some.List(User, App), data: data), CancellationToken.None);

        Assert.Equal($"token={App}&user={User}&message=%3Cb%3Ehot%3C%2Fb%3E&priority=0&html=1&url=https%3A%2F%2Fexample.org%2Fpump&url_title=Pump+7", Assert.Single(_api.Requests).BodyText);
    }

    [Fact]
    public async Task Html_text_in_the_data_is_the_html_message_as_in_mqttwarn()
    {
        _api.On("POST", "/1/messages.json", FakeHttpResponse.Json(Ok));
        var data = new Dictionary<string, object?> { ["html"] = "<p>hot</p>" };
        await Sink().SendAsync(Item("plain", Some.List(User, App), data: data), CancellationToken.None);

        var form = Form(Assert.Single(_api.Requests).BodyText);
        Assert.Equal(("<p>hot</p>", "1"), (form["message"], form["html"]));
    }

    [Fact]
    public async Task Imagebase64_in_the_data_is_sent_as_a_multipart_attachment()
    {
        _api.On("POST", "/1/messages.json", FakeHttpResponse.Json(Ok));
        var data = new Dictionary<string, object?> { ["imagebase64"] = Convert.ToBase64String(PushItems.Png), ["message"] = "camera 1" };
        await Sink().SendAsync(Item("{...}", Some.List(User, App), title: "Door", data: data), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.StartsWith("multipart/form-data; boundary=", request.Header("Content-Type"));
        Assert.Equal(["token", "user", "message", "title", "priority", "attachment"], request.Parts.Select(p => p.Name));
        Assert.Equal(App, request.Part("token").Text);
        Assert.Equal("camera 1", request.Part("message").Text);
        var attachment = request.Part("attachment");
        Assert.Equal(("image.png", "image/png"), (attachment.FileName, attachment.ContentType));
        Assert.Equal(PushItems.Png, attachment.Body);
    }

    [Fact]
    public async Task An_image_payload_is_attached_and_the_title_is_its_message()
    {
        _api.On("POST", "/1/messages.json", FakeHttpResponse.Json(Ok));
        await Sink().SendAsync(Item("\uFFFDPNG", Some.List(User, App), title: "Snapshot", payload: PushItems.Png), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("Snapshot", request.Part("message").Text);
        Assert.Equal(PushItems.Png, request.Part("attachment").Body);
    }

    [Fact]
    public async Task An_imageurl_is_fetched_with_basic_authentication_and_attached()
    {
        _api.On("POST", "/1/messages.json", FakeHttpResponse.Json(Ok));
        _api.On("GET", "/cam.jpg", new FakeHttpResponse(200, "\u00FF\u00D8\u00FFjpeg", "image/jpeg"));
        var data = new Dictionary<string, object?> { ["imageurl"] = _api.BaseUrl + "/cam.jpg", ["auth"] = "basic", ["user"] = "foo", ["password"] = "bar" };
        await Sink().SendAsync(Item("door", Some.List(User, App), data: data), CancellationToken.None);

        Assert.Equal(2, _api.Requests.Count);
        Assert.Equal(("GET", "/cam.jpg", "Basic Zm9vOmJhcg=="), (_api.Requests[0].Method, _api.Requests[0].Path, _api.Requests[0].Header("Authorization")));
        Assert.NotEmpty(_api.Requests[1].Part("attachment").Body);
    }

    [Fact]
    public async Task An_imageurl_behind_digest_authentication_answers_the_cameras_challenge()
    {
        _api.On("POST", "/1/messages.json", FakeHttpResponse.Json(Ok));
        _api.On("GET", "/cam.jpg",
            FakeHttpResponse.Text("unauthorized", 401) with { Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = "Digest realm=\"cam\", nonce=\"n0nce42\", qop=\"auth\"" } },
            new FakeHttpResponse(200, "jpeg bytes", "image/jpeg"));
        var data = new Dictionary<string, object?> { ["imageurl"] = _api.BaseUrl + "/cam.jpg", ["auth"] = "digest", ["user"] = "foo", ["password"] = "bar" };
        await Sink().SendAsync(Item("door", Some.List(User, App), data: data), CancellationToken.None);

        Assert.Equal(["GET /cam.jpg", "GET /cam.jpg", "POST /1/messages.json"], _api.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Null(_api.Requests[0].Header("Authorization"));
        var authorization = _api.Requests[1].Header("Authorization")!;
        Assert.StartsWith("Digest ", authorization);
        var fields = System.Text.RegularExpressions.Regex.Matches(authorization, "(\\w+)=(?:\"([^\"]*)\"|([^, ]+))")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value);
        static string Md5(string text) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        var expected = Md5($"{Md5("foo:cam:bar")}:n0nce42:{fields["nc"]}:{fields["cnonce"]}:auth:{Md5("GET:" + fields["uri"])}");
        Assert.Equal(("foo", "cam", "/cam.jpg", expected), (fields["username"], fields["realm"], fields["uri"], fields["response"]));
        Assert.Equal("jpeg bytes"u8.ToArray(), _api.Requests[2].Part("attachment").Body);
    }

    [Fact]
    public async Task A_refusal_fails_permanently_with_pushovers_errors()
    {
        _api.On("POST", "/1/messages.json", FakeHttpResponse.Json("""{"user": "invalid", "errors": ["user identifier is invalid"], "status": 0}""", 400));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Some.List(User, App)), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("pushover messages.json failed: HTTP 400: user identifier is invalid", error.Message);
    }

    [Fact]
    public async Task Status_0_with_http_200_fails_permanently()
    {
        _api.On("POST", "/1/messages.json", FakeHttpResponse.Json("""{"errors": ["message cannot be blank"], "status": 0}"""));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Some.List(User, App)), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("pushover messages.json failed: message cannot be blank", error.Message);
    }

    [Theory]
    [InlineData(429, "12", 12)]
    [InlineData(500, null, null)]
    public async Task Rate_limits_and_server_errors_are_transient(int status, string? retryAfter, int? seconds)
    {
        var response = FakeHttpResponse.Json("""{"status": 0}""", status);
        _api.On("POST", "/1/messages.json", retryAfter is null ? response : response with { Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter } });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Some.List(User, App)), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, seconds is { } s ? TimeSpan.FromSeconds(s) : null);
        Assert.Contains($"HTTP {status}", error.Message);
    }

    [Fact]
    public async Task An_unreachable_api_is_a_transient_failure_that_names_no_url()
    {
        var sink = BuiltInPlugins.Create("pushover", new TestPluginContext(Some.Dict(("api_url", Loopback.ClosedUrl()))));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("x", Some.List(User, App)), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.StartsWith("pushover messages.json failed: could not connect", error.Message);
        Assert.DoesNotContain("127.0.0.1", error.Message);
    }

    [Fact]
    public async Task Keys_are_never_logged_nor_in_a_failure()
    {
        _api.On("POST", "/1/messages.json", FakeHttpResponse.Json(Ok), FakeHttpResponse.Json("""{"token": "invalid", "errors": ["application token is invalid"], "status": 0}""", 400));
        var context = Context();
        var sink = BuiltInPlugins.Create("pushover", context);
        await sink.SendAsync(Item("x", Some.List(User, App)), CancellationToken.None);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("x", Some.List(User, App)), CancellationToken.None).AsTask());

        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_is_a_list_of_two_to_four_keys_and_none_needs_the_environment()
    {
        using var environment = new PushEnvironment(("PUSHOVER_USER", null), ("PUSHOVER_TOKEN", null));
        Assert.Empty(BuiltInPlugins.Validate("pushover", Some.List(User, App)));
        Assert.Empty(BuiltInPlugins.Validate("pushover", Some.List(User, App, "siren", "phone")));
        Assert.NotEmpty(BuiltInPlugins.Validate("pushover", Some.List(User)));
        Assert.NotEmpty(BuiltInPlugins.Validate("pushover", Some.List(User, App, "s", "d", "x")));
        Assert.NotEmpty(BuiltInPlugins.Validate("pushover", Some.Dict(("user", User))));
        Assert.NotEmpty(BuiltInPlugins.Validate("pushover", User));
        Assert.Contains("PUSHOVER_USER", Assert.Single(BuiltInPlugins.Validate("pushover", Some.List(null, App))));
        Assert.Contains(BuiltInPlugins.Activate("pushover", PushItems.Options(("api_url", "ftp://x"))).Diagnostics, d => d.Key == "api_url");
    }

    [Fact]
    public async Task Hub_notify_sends_the_title_and_priority()
    {
        _api.On("POST", "/1/messages.json", FakeHttpResponse.Json(Ok));
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = pushover

            [config:pushover]
            api_url = '{_api.BaseUrl}'
            targets = {"{"} 'phone': ['{User}', '{App}', 'siren'] {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "pushover:phone", "disk full", "--title", "Disk", "--priority", "1", "--config", config);

        Assert.True(code == 0, error + output);
        Assert.Equal($"token={App}&user={User}&message=disk+full&title=Disk&priority=1&sound=siren", Assert.Single(_api.Requests).BodyText);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Form(string body) =>
        body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));

    private TestPluginContext Context(params (string Key, object? Value)[] options) => new(Some.Dict([("api_url", _api.BaseUrl), .. options]));

    private ISink Sink(params (string Key, object? Value)[] options) => BuiltInPlugins.Create("pushover", Context(options));

    private static DeliveryItem Item(string message, object? descriptor, string title = "", int priority = 0, IReadOnlyDictionary<string, object?>? data = null, byte[]? payload = null) =>
        PushItems.Item("pushover", message, descriptor, title, priority, data, payload);
}
