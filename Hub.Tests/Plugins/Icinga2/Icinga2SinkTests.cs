using System.Text;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Icinga2;

/// <summary>The icinga2 plugin against a local stand-in of the Icinga 2 API (plain http through the host's scheme).</summary>
public sealed class Icinga2SinkTests : IAsyncLifetime
{
    private const string Path = "/v1/actions/process-check-result";
    private const string Ok = """{"results":[{"code":200.0,"status":"Successfully processed check result for object 'host.com!passive'."}]}""";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_service_check_result_is_posted_with_basic_auth_and_a_filter_on_host_and_service()
    {
        _api.On("POST", Path, FakeHttpResponse.Json(Ok));
        await Sink().SendAsync(Item("CRITICAL: pump 7 is hot", Some.List("host.com", "passive", "mqttwarn"), priority: 2), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(Path, request.Path);
        Assert.Equal("application/json", request.Header("Accept"));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("api-user:SECRET-pw")), request.Header("Authorization"));
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal(
            """{"type":"Service","filter":"host.name==hub_host \u0026\u0026 service.name==hub_service","filter_vars":{"hub_host":"host.com","hub_service":"passive"},"exit_status":2,"plugin_output":"CRITICAL: pump 7 is hot","check_source":"mqttwarn"}""",
            request.BodyText);
    }

    [Fact]
    public async Task Without_a_service_it_is_a_host_check_and_the_source_defaults_to_hub()
    {
        _api.On("POST", Path, FakeHttpResponse.Json(Ok));
        await Sink().SendAsync(Item("DOWN", Some.List("host.com", null), priority: 2), CancellationToken.None);

        Assert.Equal(
            """{"type":"Host","filter":"host.name==hub_host","filter_vars":{"hub_host":"host.com"},"exit_status":1,"plugin_output":"DOWN","check_source":"hub"}""",
            Assert.Single(_api.Requests).BodyText);
    }

    [Theory]
    [InlineData(-2, 0)]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(5, 3)]
    public async Task The_priority_is_the_exit_status(int priority, int status)
    {
        _api.On("POST", Path, FakeHttpResponse.Json(Ok));
        await Sink().SendAsync(Item("x", Some.List("h", "s"), priority: priority), CancellationToken.None);

        Assert.Equal(status, Assert.Single(_api.Requests).Json.GetProperty("exit_status").GetInt32());
    }

    [Fact]
    public async Task A_json_object_message_updates_the_body_as_in_mqttwarn()
    {
        _api.On("POST", Path, FakeHttpResponse.Json(Ok));
        await Sink().SendAsync(Item("""{"exit_status": 1, "plugin_output": "WARN: my-service", "performance_data": ["t=21"]}""", Some.List("h", "s")), CancellationToken.None);

        var body = Assert.Single(_api.Requests).Json;
        Assert.Equal(1, body.GetProperty("exit_status").GetInt32());
        Assert.Equal("WARN: my-service", body.GetProperty("plugin_output").GetString());
        Assert.Equal("t=21", body.GetProperty("performance_data")[0].GetString());
        Assert.Equal("Service", body.GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_unknown_object_is_permanent_and_server_errors_are_transient()
    {
        _api.On("POST", Path, FakeHttpResponse.Json("""{"error":404.0,"status":"No objects found."}""", 404), FakeHttpResponse.Json("{}", 503),
            FakeHttpResponse.Json("""{"results":[{"code":500.0,"status":"Attribute 'exit_status' must be between 0 and 3."}]}"""));
        var sink = Sink();
        async Task<Exception> Fail() => await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("x", Some.List("nohost", "s")), CancellationToken.None).AsTask());

        var missing = await Fail();
        DeliveryFailures.AssertPermanent(missing);
        Assert.Equal("""icinga2 process-check-result failed: HTTP 404: {"error":404.0,"status":"No objects found."}""", missing.Message);
        DeliveryFailures.AssertTransient(await Fail(), null);
        var inResult = await Fail();
        DeliveryFailures.AssertPermanent(inResult);
        Assert.Equal("icinga2 process-check-result failed: Attribute 'exit_status' must be between 0 and 3.", inResult.Message);
    }

    [Fact]
    public async Task The_password_never_appears_in_logs_or_failures()
    {
        _api.On("POST", Path, FakeHttpResponse.Json(Ok), FakeHttpResponse.Json("""{"error":401}""", 401));
        var context = Context();
        var sink = BuiltInPlugins.Create("icinga2", context);
        await sink.SendAsync(Item("x", Some.List("h", "s")), CancellationToken.None);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("x", Some.List("h", "s")), CancellationToken.None).AsTask());

        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_https_an_untrusted_certificate_is_refused_permanently()
    {
        var port = new Uri(_api.BaseUrl).Port;
        var sink = BuiltInPlugins.Create("icinga2", new TestPluginContext(Some.Dict(("host", "127.0.0.1"), ("port", (long)port))));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("x", Some.List("h", "s")), CancellationToken.None).AsTask());

        // The stand-in speaks plain HTTP, so the TLS handshake fails: nothing is sent in clear text.
        DeliveryFailures.AssertPermanent(error);
        Assert.Contains("TLS", error.Message);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task Over_https_the_cacert_is_trusted_another_ca_is_not_and_insecure_accepts_any()
    {
        await using var icinga = await ProtoTlsApi.StartAsync(Ok);
        await using var other = await ProtoTlsApi.StartAsync(Ok);
        ISink Sink(params (string Key, object? Value)[] tls) =>
            BuiltInPlugins.Create("icinga2", new TestPluginContext(Some.Dict([("host", "https://127.0.0.1"), ("port", (long)icinga.Port), .. tls])));

        await Sink(("cacert", icinga.CaPath)).SendAsync(Item("x", Some.List("h", "s")), CancellationToken.None);
        var untrusted = await Assert.ThrowsAnyAsync<Exception>(() => Sink(("cacert", other.CaPath)).SendAsync(Item("x", Some.List("h", "s")), CancellationToken.None).AsTask());
        await Sink(("insecure", true)).SendAsync(Item("x", Some.List("h", "s")), CancellationToken.None);

        DeliveryFailures.AssertPermanent(untrusted);
        Assert.Equal(["POST /v1/actions/process-check-result", "POST /v1/actions/process-check-result"], icinga.Requests);
    }

    [Fact]
    public void Targets_and_options_are_checked_when_the_configuration_loads()
    {
        var options = Some.Dict(("host", "https://icingahost"));
        Assert.Empty(BuiltInPlugins.Validate("icinga2", Some.List("host.com", null, "mqttwarn"), options));
        Assert.Empty(BuiltInPlugins.Validate("icinga2", Some.List("host.com", "passive"), options));
        Assert.NotEmpty(BuiltInPlugins.Validate("icinga2", Some.List("host.com"), options));
        Assert.NotEmpty(BuiltInPlugins.Validate("icinga2", Some.List(null, "passive", "x"), options));
        Assert.NotEmpty(BuiltInPlugins.Validate("icinga2", Some.List("h", "s", "src", "extra"), options));

        var bad = BuiltInPlugins.Activate("icinga2", Some.Dict(("host", "ftp://x"), ("port", 0L), ("username", "u"), ("cacert", "ca.pem"), ("insecure", true)));
        Assert.Null(bad.Instance);
        Assert.Equal(["host", "insecure", "password", "port"], bad.Diagnostics.Select(d => d.Key).Order());
    }

    [Fact]
    public async Task Hub_notify_posts_the_check_result()
    {
        _api.On("POST", Path, FakeHttpResponse.Json(Ok));
        var port = new Uri(_api.BaseUrl).Port;
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = icinga2

            [config:icinga2]
            host = 'http://127.0.0.1'
            port = {port}
            username = 'api-user'
            password = 'SECRET-pw'
            targets = {"{"} 'svc': ['host.com', 'passive', 'hub-cli'] {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "icinga2:svc", "WARN: disk 91%", "--priority", "1", "--config", config);

        Assert.True(code == 0, error + output);
        var body = Assert.Single(_api.Requests).Json;
        Assert.Equal(1, body.GetProperty("exit_status").GetInt32());
        Assert.Equal("WARN: disk 91%", body.GetProperty("plugin_output").GetString());
        Assert.Equal("hub-cli", body.GetProperty("check_source").GetString());
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private TestPluginContext Context() =>
        new(Some.Dict(("host", "http://127.0.0.1"), ("port", (long)new Uri(_api.BaseUrl).Port), ("username", "api-user"), ("password", "SECRET-pw")));

    private ISink Sink() => BuiltInPlugins.Create("icinga2", Context());

    private static DeliveryItem Item(string message, object? descriptor, int priority = 0) => new()
    {
        Service = "icinga2",
        Section = "t/1",
        Target = "t",
        Addrs = descriptor,
        Topic = "t/1",
        Payload = Encoding.UTF8.GetBytes(message),
        Message = message,
        MessageBytes = Encoding.UTF8.GetBytes(message),
        Priority = priority,
    };
}
