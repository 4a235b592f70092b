using System.Text;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Twilio;

/// <summary>The twilio plugin against a local stand-in of Twilio's Messages API.</summary>
public sealed class TwilioSinkTests : IAsyncLifetime
{
    private const string Sid = "AC0123456789abcdef";
    private const string Token = "SECRETtoken";
    private const string Path = "/2010-04-01/Accounts/" + Sid + "/Messages.json";
    private const string Queued = """{"sid": "SM1234", "status": "queued", "body": "x"}""";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static string Basic => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Sid}:{Token}"));

    [Fact]
    public async Task An_sms_is_posted_form_encoded_to_the_accounts_messages_with_basic_authentication()
    {
        _api.On("POST", Path, FakeHttpResponse.Json(Queued, 201));
        await Sink().SendAsync(Item("pump 7 is hot & loud", Some.List(Sid, Token, "+15017122661", "+15558675310")), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal(("POST", Path), (request.Method, request.Path));
        Assert.Equal(Basic, request.Header("Authorization"));
        Assert.Equal("application/x-www-form-urlencoded", request.Header("Content-Type"));
        Assert.Equal("From=%2B15017122661&To=%2B15558675310&Body=pump+7+is+hot+%26+loud", request.BodyText);
    }

    [Fact]
    public async Task A_dict_target_works_like_the_list()
    {
        _api.On("POST", Path, FakeHttpResponse.Json(Queued, 201));
        await Sink().SendAsync(Item("x", Some.Dict(("account_sid", Sid), ("auth_token", Token), ("from", "Hub"), ("to", "+15558675311"))), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal(Basic, request.Header("Authorization"));
        Assert.Equal("From=Hub&To=%2B15558675311&Body=x", request.BodyText);
    }

    [Fact]
    public async Task A_refusal_is_permanent_with_twilios_message_and_code()
    {
        _api.On("POST", Path, FakeHttpResponse.Json("""{"code": 21211, "message": "The 'To' number 5551234 is not a valid phone number.", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}""", 400));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Some.List(Sid, Token, "+1501", "5551234")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("twilio messages failed: HTTP 400: The 'To' number 5551234 is not a valid phone number. (error 21211)", error.Message);
    }

    [Theory]
    [InlineData(429, "5", 5)]
    [InlineData(500, null, null)]
    public async Task Rate_limits_and_server_errors_are_transient(int status, string? retryAfter, int? seconds)
    {
        var response = FakeHttpResponse.Json("""{"code": 20429, "message": "Too Many Requests", "status": 429}""", status);
        _api.On("POST", Path, retryAfter is null ? response : response with { Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter } });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Some.List(Sid, Token, "+1", "+2")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, seconds is { } s ? TimeSpan.FromSeconds(s) : null);
    }

    [Fact]
    public async Task An_unreachable_api_is_transient_and_the_token_never_reaches_the_log()
    {
        _api.On("POST", Path, FakeHttpResponse.Json(Queued, 201));
        var context = new TestPluginContext(Some.Dict(("api_url", _api.BaseUrl)));
        await BuiltInPlugins.Create("twilio", context).SendAsync(Item("x", Some.List(Sid, Token, "+1", "+2")), CancellationToken.None);
        var unreachable = BuiltInPlugins.Create("twilio", new TestPluginContext(Some.Dict(("api_url", Loopback.ClosedUrl()))));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => unreachable.SendAsync(Item("x", Some.List(Sid, Token, "+1", "+2")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_is_four_values()
    {
        Assert.Empty(BuiltInPlugins.Validate("twilio", Some.List(Sid, Token, "+1", "+2")));
        Assert.NotEmpty(BuiltInPlugins.Validate("twilio", Some.List(Sid, Token, "+1")));
        Assert.NotEmpty(BuiltInPlugins.Validate("twilio", Some.List(Sid, Token, "+1", "")));
        Assert.NotEmpty(BuiltInPlugins.Validate("twilio", Some.List("AC/../x", Token, "+1", "+2")));
        Assert.Contains("to", Assert.Single(BuiltInPlugins.Validate("twilio", Some.Dict(("account_sid", Sid), ("auth_token", Token), ("from", "+1")))));
        Assert.NotEmpty(BuiltInPlugins.Validate("twilio", Some.Dict(("sid", Sid))));
    }

    [Fact]
    public async Task Hub_notify_sends_an_sms()
    {
        _api.On("POST", Path, FakeHttpResponse.Json(Queued, 201));
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $$"""
            [defaults]
            plugins = '{{Repo.PluginDirectory}}'
            launch = twilio

            [config:twilio]
            api_url = '{{_api.BaseUrl}}'
            targets = { 'jane': ['{{Sid}}', '{{Token}}', '+15017122661', '+15558675310'] }
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "twilio:jane", "disk full", "--config", config);

        Assert.True(code == 0, error + output);
        var request = Assert.Single(_api.Requests);
        Assert.Equal(Basic, request.Header("Authorization"));
        Assert.Equal("From=%2B15017122661&To=%2B15558675310&Body=disk+full", request.BodyText);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private ISink Sink() => BuiltInPlugins.Create("twilio", new TestPluginContext(Some.Dict(("api_url", _api.BaseUrl))));

    private static DeliveryItem Item(string message, object? descriptor) => PushItems.Item("twilio", message, descriptor);
}
