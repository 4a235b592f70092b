using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.AlexaNotifyMe;

/// <summary>The alexa-notify-me plugin against a local stand-in of the Notify Me API.</summary>
public sealed class AlexaNotifyMeSinkTests : IAsyncLifetime
{
    private const string AccessCode = "amzn1.ask.account.SECRET";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeHttpApi.StartAsync();
        _api.On("POST", "/v1/NotifyMe", FakeHttpResponse.Json("""{"status": "ok"}"""));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_notification_and_the_access_code_are_posted_as_json()
    {
        await Sink().SendAsync(Item("The washer is done", Some.List(AccessCode), title: "ignored"), CancellationToken.None);
        await Sink().SendAsync(Item("bare text target", AccessCode), CancellationToken.None);

        var request = _api.Requests[0];
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/NotifyMe", request.Path);
        Assert.Equal("", request.Query);
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal($$"""{"notification":"The washer is done","accessCode":"{{AccessCode}}"}""", request.BodyText);
        Assert.Equal($$"""{"notification":"bare text target","accessCode":"{{AccessCode}}"}""", _api.Requests[1].BodyText);
    }

    [Fact]
    public async Task An_unknown_access_code_is_permanent_and_not_in_the_failure()
    {
        _api.On("POST", "/v1/NotifyMe", FakeHttpResponse.Json("""{"message": "Invalid access code"}""", 401));
        var error = await ChatItems.FailureOf(Sink(), Item("x", Some.List(AccessCode)));

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("alexa-notify-me NotifyMe failed: HTTP 401: Invalid access code", error.Message);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_requests_and_server_errors_are_transient()
    {
        _api.On("POST", "/v1/NotifyMe",
            FakeHttpResponse.Json("""{"message": "Too many notifications"}""", 429) with { Headers = new Dictionary<string, string> { ["Retry-After"] = "120" } },
            FakeHttpResponse.Text("Internal Server Error", 500));
        var sink = Sink();

        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, Item("x", Some.List(AccessCode))), TimeSpan.FromSeconds(120));
        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, Item("x", Some.List(AccessCode))), null);
    }

    [Fact]
    public async Task A_refused_connection_is_transient_and_the_access_code_is_never_logged()
    {
        var context = new TestPluginContext(Some.Dict(("api_url", _api.BaseUrl)));
        await BuiltInPlugins.Create("alexa-notify-me", context).SendAsync(Item("x", Some.List(AccessCode)), CancellationToken.None);
        var closed = BuiltInPlugins.Create("alexa-notify-me", new TestPluginContext(Some.Dict(("api_url", Loopback.ClosedUrl()))));
        var error = await ChatItems.FailureOf(closed, Item("x", Some.List(AccessCode)));

        DeliveryFailures.AssertTransient(error, null);
        Assert.Equal("alexa-notify-me NotifyMe failed: could not connect", error.Message);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_is_one_access_code()
    {
        Assert.Empty(BuiltInPlugins.Validate("alexa-notify-me", Some.List("code")));
        Assert.Empty(BuiltInPlugins.Validate("alexa-notify-me", "code"));
        Assert.NotEmpty(BuiltInPlugins.Validate("alexa-notify-me", Some.List("code", "other")));
        Assert.NotEmpty(BuiltInPlugins.Validate("alexa-notify-me", Some.List(" ")));
        Assert.NotEmpty(BuiltInPlugins.Validate("alexa-notify-me", Some.Dict(("access_code", "code"))));
        Assert.Null(BuiltInPlugins.Activate("alexa-notify-me", Some.Dict(("api_url", "ftp://x"))).Instance);
    }

    [Fact]
    public async Task Hub_notify_sends_the_notification()
    {
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = alexa-notify-me

            [config:alexa-notify-me]
            api_url = '{_api.BaseUrl}'
            targets = {"{"} 'kitchen': ['{AccessCode}'] {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "alexa-notify-me:kitchen", "washer done", "--config", config);

        Assert.True(code == 0, error + output);
        Assert.Equal($$"""{"notification":"washer done","accessCode":"{{AccessCode}}"}""", Assert.Single(_api.Requests).BodyText);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private ISink Sink() => BuiltInPlugins.Create("alexa-notify-me", new TestPluginContext(Some.Dict(("api_url", _api.BaseUrl))));

    private static DeliveryItem Item(string message, object? descriptor, string title = "") => ChatItems.Item("alexa-notify-me", message, descriptor, title);
}
