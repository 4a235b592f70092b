using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Autoremote;

/// <summary>The autoremote plugin against a local stand-in of the AutoRemote message URL.</summary>
public sealed class AutoremoteSinkTests : IAsyncLifetime
{
    private const string Key = "APA91SECRETkey";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_message_goes_in_a_get_query_with_mqttwarns_parameters()
    {
        _api.On("GET", "/sendmessage", FakeHttpResponse.Text("OK"));
        await Sink().SendAsync(Item("door=:=open & locked", Some.List(Key, "SECRETpw", "mqtt", "alerts", "3600"), topic: "home/door"), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal(("GET", "/sendmessage"), (request.Method, request.Path));
        Assert.Equal($"?key={Key}&message=door%3D%3A%3Dopen%20%26%20locked&target=mqtt&sender=home%2Fdoor&password=SECRETpw&ttl=3600&collapseKey=alerts", request.Query);
        Assert.Empty(request.Body);
    }

    [Fact]
    public async Task Parameters_left_out_or_none_are_not_sent()
    {
        _api.On("GET", "/sendmessage", FakeHttpResponse.Text("OK"));
        await Sink().SendAsync(Item("hi", Some.List(Key, null, "t1"), topic: "a"), CancellationToken.None);
        await Sink().SendAsync(Item("hi", Some.List(Key, null, null, null, 60L), topic: "a"), CancellationToken.None);

        Assert.Equal($"?key={Key}&message=hi&target=t1&sender=a", _api.Requests[0].Query);
        Assert.Equal($"?key={Key}&message=hi&sender=a&ttl=60", _api.Requests[1].Query);
    }

    [Fact]
    public async Task A_refusal_is_permanent_and_names_neither_key_nor_url()
    {
        _api.On("GET", "/sendmessage", FakeHttpResponse.Text("Invalid key", 400));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Some.List(Key)), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("autoremote sendmessage failed: HTTP 400: Invalid key", error.Message);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, "9", 9)]
    [InlineData(500, null, null)]
    public async Task Rate_limits_and_server_errors_are_transient(int status, string? retryAfter, int? seconds)
    {
        var response = FakeHttpResponse.Text("Over quota", status);
        _api.On("GET", "/sendmessage", retryAfter is null ? response : response with { Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter } });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Some.List(Key)), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, seconds is { } s ? TimeSpan.FromSeconds(s) : null);
    }

    [Fact]
    public async Task An_unreachable_service_is_transient_and_the_key_never_reaches_the_log()
    {
        _api.On("GET", "/sendmessage", FakeHttpResponse.Text("OK"));
        var context = new TestPluginContext(Some.Dict(("api_url", _api.BaseUrl)));
        await BuiltInPlugins.Create("autoremote", context).SendAsync(Item("x", Some.List(Key, "SECRETpw")), CancellationToken.None);
        var unreachable = BuiltInPlugins.Create("autoremote", new TestPluginContext(Some.Dict(("api_url", Loopback.ClosedUrl()))));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => unreachable.SendAsync(Item("x", Some.List(Key, "SECRETpw")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_is_a_list_of_one_to_five_values_starting_with_the_key()
    {
        Assert.Empty(BuiltInPlugins.Validate("autoremote", Some.List(Key)));
        Assert.Empty(BuiltInPlugins.Validate("autoremote", Some.List(Key, "pw", "t", "g", 3600L)));
        Assert.NotEmpty(BuiltInPlugins.Validate("autoremote", Some.List()));
        Assert.NotEmpty(BuiltInPlugins.Validate("autoremote", Some.List(null, "pw")));
        Assert.NotEmpty(BuiltInPlugins.Validate("autoremote", Some.List(Key, "pw", "t", "g", "60", "x")));
        Assert.NotEmpty(BuiltInPlugins.Validate("autoremote", Some.Dict(("key", Key))));
        Assert.NotEmpty(BuiltInPlugins.Validate("autoremote", Key));
    }

    [Fact]
    public async Task Hub_notify_sends_the_message()
    {
        _api.On("GET", "/sendmessage", FakeHttpResponse.Text("OK"));
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $$"""
            [defaults]
            plugins = '{{Repo.PluginDirectory}}'
            launch = autoremote

            [config:autoremote]
            api_url = '{{_api.BaseUrl}}'
            targets = { 'phone': ['{{Key}}', 'SECRETpw', 'mqtt'] }
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "autoremote:phone", "disk full", "--config", config);

        Assert.True(code == 0, error + output);
        var request = Assert.Single(_api.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Contains($"key={Key}&message=disk%20full&target=mqtt&sender=", request.Query, StringComparison.Ordinal);
        Assert.EndsWith("&password=SECRETpw", request.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private ISink Sink() => BuiltInPlugins.Create("autoremote", new TestPluginContext(Some.Dict(("api_url", _api.BaseUrl))));

    private static DeliveryItem Item(string message, object? descriptor, string topic = "t/1") => PushItems.Item("autoremote", message, descriptor, topic: topic);
}
