using System.Text.Json.Nodes;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Signal;

/// <summary>The signal plugin against a local stand-in of the signal-cli REST API.</summary>
public sealed class SignalSinkTests : IAsyncLifetime
{
    private const string Sender = "+4915112345678";
    private const string Sent = """{"timestamp": "1712345678901"}""";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_message_is_posted_to_v2_send_with_the_sender_and_the_recipients()
    {
        _api.On("POST", "/v2/send", FakeHttpResponse.Json(Sent, 201));
        await Sink(("number", Sender)).SendAsync(Item("pump 7 is hot", Some.List("+4915187654321", "group.ZmFtaWx5"), title: "Alarm"), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal(("POST", "/v2/send"), (request.Method, request.Path));
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        AssertJson("""{"message":"pump 7 is hot","number":"+4915112345678","recipients":["+4915187654321","group.ZmFtaWx5"]}""", request.BodyText);
    }

    [Fact]
    public async Task A_target_may_send_from_its_own_number_and_a_single_recipient_may_be_text()
    {
        _api.On("POST", "/v2/send", FakeHttpResponse.Json(Sent, 201));
        var sink = Sink(("number", Sender));
        await sink.SendAsync(Item("a", Some.Dict(("number", "+4915199999999"), ("recipients", Some.List("+491")))), CancellationToken.None);
        await sink.SendAsync(Item("b", "+492"), CancellationToken.None);

        AssertJson("""{"message":"a","number":"+4915199999999","recipients":["+491"]}""", _api.Requests[0].BodyText);
        AssertJson("""{"message":"b","number":"+4915112345678","recipients":["+492"]}""", _api.Requests[1].BodyText);
    }

    [Fact]
    public async Task An_image_payload_is_a_base64_data_uri_attachment_with_the_title_as_text()
    {
        _api.On("POST", "/v2/send", FakeHttpResponse.Json(Sent, 201));
        await Sink(("number", Sender)).SendAsync(Item("\uFFFDPNG", Some.List("+491"), title: "Motion", payload: PushItems.Png), CancellationToken.None);

        var json = Assert.Single(_api.Requests).Json;
        Assert.Equal("Motion", json.GetProperty("message").GetString());
        Assert.Equal("data:image/png;filename=image.png;base64," + Convert.ToBase64String(PushItems.Png), json.GetProperty("base64_attachments")[0].GetString());
        Assert.Equal(1, json.GetProperty("base64_attachments").GetArrayLength());
    }

    [Fact]
    public async Task An_api_error_is_permanent_with_its_text()
    {
        _api.On("POST", "/v2/send", FakeHttpResponse.Json("""{"error": "Failed to send message: Unregistered user"}""", 400));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink(("number", Sender)).SendAsync(Item("x", Some.List("+491")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("signal send failed: HTTP 400: Failed to send message: Unregistered user", error.Message);
    }

    [Theory]
    [InlineData(429, "15", 15)]
    [InlineData(500, null, null)]
    public async Task Rate_limits_and_server_errors_are_transient(int status, string? retryAfter, int? seconds)
    {
        var response = FakeHttpResponse.Json("""{"error": "busy"}""", status);
        _api.On("POST", "/v2/send", retryAfter is null ? response : response with { Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter } });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink(("number", Sender)).SendAsync(Item("x", Some.List("+491")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, seconds is { } s ? TimeSpan.FromSeconds(s) : null);
        Assert.StartsWith($"signal send failed: HTTP {status}: busy", error.Message);
    }

    [Fact]
    public async Task An_unreachable_server_is_transient_and_names_no_url()
    {
        var sink = BuiltInPlugins.Create("signal", new TestPluginContext(Some.Dict(("url", Loopback.ClosedUrl() + "/SECRET"), ("number", Sender))));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("x", Some.List("+491")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_is_a_list_of_recipients_and_needs_a_sender()
    {
        var withNumber = PushItems.Options(("url", "http://localhost:8080"), ("number", Sender));
        var withoutNumber = PushItems.Options(("url", "http://localhost:8080"));
        Assert.Empty(BuiltInPlugins.Validate("signal", Some.List("+491", "group.x"), withNumber));
        Assert.Empty(BuiltInPlugins.Validate("signal", "+491", withNumber));
        Assert.Empty(BuiltInPlugins.Validate("signal", Some.Dict(("number", Sender), ("recipients", Some.List("+491"))), withoutNumber));
        Assert.NotEmpty(BuiltInPlugins.Validate("signal", Some.List("+491"), withoutNumber));
        Assert.NotEmpty(BuiltInPlugins.Validate("signal", Some.List(), withNumber));
        Assert.NotEmpty(BuiltInPlugins.Validate("signal", Some.List("+491", 42L), withNumber));
        Assert.NotEmpty(BuiltInPlugins.Validate("signal", Some.Dict(("to", Some.List("+491"))), withNumber));
        Assert.Contains(BuiltInPlugins.Activate("signal", PushItems.Options(("url", "localhost:8080"))).Diagnostics, d => d.Key == "url");
    }

    [Fact]
    public async Task Hub_notify_sends_a_message()
    {
        _api.On("POST", "/v2/send", FakeHttpResponse.Json(Sent, 201));
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $$"""
            [defaults]
            plugins = '{{Repo.PluginDirectory}}'
            launch = signal

            [config:signal]
            url = '{{_api.BaseUrl}}'
            number = '{{Sender}}'
            targets = { 'jane': ['+4915187654321'] }
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "signal:jane", "disk full", "--config", config);

        Assert.True(code == 0, error + output);
        AssertJson("""{"message":"disk full","number":"+4915112345678","recipients":["+4915187654321"]}""", Assert.Single(_api.Requests).BodyText);
    }

    /// <summary>The body is the expected JSON (System.Text.Json writes '+' as \u002B, which is the same JSON).</summary>
    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\nactual   {actual}");

    private ISink Sink(params (string Key, object? Value)[] options) => BuiltInPlugins.Create("signal", new TestPluginContext(Some.Dict([("url", _api.BaseUrl), .. options])));

    private static DeliveryItem Item(string message, object? descriptor, string title = "", byte[]? payload = null) =>
        PushItems.Item("signal", message, descriptor, title, payload: payload);
}
