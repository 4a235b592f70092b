using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Ifttt;

/// <summary>The ifttt plugin against a local stand-in of the IFTTT Webhooks service.</summary>
public sealed class IftttSinkTests : IAsyncLifetime
{
    private const string Key = "SECRET-key";
    private const string TriggerPath = "/trigger/doorbell_rang/with/key/SECRET-key";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeHttpApi.StartAsync();
        _api.On("POST", TriggerPath, FakeHttpResponse.Text("Congratulations! You've fired the doorbell_rang event"));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_event_is_triggered_with_the_message_title_and_priority_as_values()
    {
        await Sink().SendAsync(Item("someone at the door", Some.List(Key, "doorbell_rang"), title: "Doorbell", priority: 1), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(TriggerPath, request.Path);
        Assert.Equal("", request.Query);
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal("""{"value1":"someone at the door","value2":"Doorbell","value3":"1"}""", request.BodyText);
    }

    [Fact]
    public async Task The_event_and_key_are_url_escaped()
    {
        _api.On("POST", "/trigger/door bell/with/key/k%2Fy?z", FakeHttpResponse.Text("Congratulations!"));
        await Sink().SendAsync(Item("x", Some.List("k/y?z", "door bell")), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("/trigger/door bell/with/key/k%2Fy?z", request.Path);
        Assert.Equal("", request.Query);
    }

    [Fact]
    public async Task An_invalid_key_is_permanent_with_iftts_message()
    {
        _api.On("POST", TriggerPath, FakeHttpResponse.Json("""{"errors": [{"message": "You sent an invalid key."}]}""", 401));
        var error = await ChatItems.FailureOf(Sink(), Item("x", Some.List(Key, "doorbell_rang")));

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("ifttt trigger failed: HTTP 401: You sent an invalid key.", error.Message);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_requests_and_server_errors_are_transient()
    {
        _api.On("POST", TriggerPath,
            FakeHttpResponse.Text("slow down", 429) with { Headers = new Dictionary<string, string> { ["Retry-After"] = "5" } },
            FakeHttpResponse.Text("oops", 500));
        var sink = Sink();

        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, Item("x", Some.List(Key, "doorbell_rang"))), TimeSpan.FromSeconds(5));
        DeliveryFailures.AssertTransient(await ChatItems.FailureOf(sink, Item("x", Some.List(Key, "doorbell_rang"))), null);
    }

    [Fact]
    public async Task A_refused_connection_is_transient_and_the_key_is_never_logged()
    {
        var context = new TestPluginContext(Some.Dict(("base_url", _api.BaseUrl)));
        await BuiltInPlugins.Create("ifttt", context).SendAsync(Item("x", Some.List(Key, "doorbell_rang")), CancellationToken.None);
        var closed = BuiltInPlugins.Create("ifttt", new TestPluginContext(Some.Dict(("base_url", Loopback.ClosedUrl()))));
        var error = await ChatItems.FailureOf(closed, Item("x", Some.List(Key, "doorbell_rang")));

        DeliveryFailures.AssertTransient(error, null);
        Assert.Equal("ifttt trigger failed: could not connect", error.Message);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_is_an_api_key_and_an_event()
    {
        Assert.Empty(BuiltInPlugins.Validate("ifttt", Some.List("k", "e")));
        Assert.NotEmpty(BuiltInPlugins.Validate("ifttt", Some.List("k")));
        Assert.NotEmpty(BuiltInPlugins.Validate("ifttt", Some.List("k", "e", "x")));
        Assert.NotEmpty(BuiltInPlugins.Validate("ifttt", Some.List("k", "")));
        Assert.NotEmpty(BuiltInPlugins.Validate("ifttt", "k"));
        Assert.Null(BuiltInPlugins.Activate("ifttt", Some.Dict(("base_url", "maker.ifttt.com"))).Instance);
    }

    [Fact]
    public async Task Hub_notify_triggers_the_event()
    {
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = ifttt

            [config:ifttt]
            base_url = '{_api.BaseUrl}'
            targets = {"{"} 'door': ['{Key}', 'doorbell_rang'] {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "ifttt:door", "ring", "--title", "Door", "--priority", "2", "--config", config);

        Assert.True(code == 0, error + output);
        var request = Assert.Single(_api.Requests);
        Assert.Equal(TriggerPath, request.Path);
        Assert.Equal("""{"value1":"ring","value2":"Door","value3":"2"}""", request.BodyText);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private ISink Sink() => BuiltInPlugins.Create("ifttt", new TestPluginContext(Some.Dict(("base_url", _api.BaseUrl))));

    private static DeliveryItem Item(string message, object? descriptor, string title = "", int priority = 0) =>
        ChatItems.Item("ifttt", message, descriptor, title, priority);
}
