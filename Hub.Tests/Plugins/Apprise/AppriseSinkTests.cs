using System.Text;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Apprise;

/// <summary>The apprise plugin against a local stand-in of an Apprise API server.</summary>
public sealed class AppriseSinkTests : IAsyncLifetime
{
    private const string BaseUri = "mailtos://user:SECRET-pw@mail.example.org";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_notification_url_carries_sender_recipients_and_name_and_the_body_title_message_and_type()
    {
        _api.On("POST", "/notify/", FakeHttpResponse.Text("Notification(s) sent."));
        await Sink(("sender", "monitoring@example.org"), ("sender_name", "Example Monitoring"))
            .SendAsync(Item("pump 7 is hot", Some.List("foo@example.org", "bar@example.org"), title: "Alarm", priority: 1), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/notify/", request.Path);
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        var body = request.Json;
        Assert.Equal(["urls", "title", "body", "type"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("mailtos://user:SECRET-pw@mail.example.org?from=monitoring%40example.org&to=foo%40example.org%2Cbar%40example.org&name=Example+Monitoring", body.GetProperty("urls").GetString());
        Assert.Equal("Alarm", body.GetProperty("title").GetString());
        Assert.Equal("pump 7 is hot", body.GetProperty("body").GetString());
        Assert.Equal("warning", body.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Without_sender_and_recipients_the_base_uri_is_sent_as_it_is_and_format_when_set()
    {
        _api.On("POST", "/notify/", FakeHttpResponse.Text("ok"));
        await BuiltInPlugins.Create("apprise", new TestPluginContext(Some.Dict(("baseuri", "json://localhost:1234/hook?:sound=ocean"), ("api_url", _api.BaseUrl + "/"), ("format", "markdown"))))
            .SendAsync(Item("*hi*", Some.List()), CancellationToken.None);
        await BuiltInPlugins.Create("apprise", new TestPluginContext(Some.Dict(("baseuri", "json://localhost:1234/hook?:sound=ocean"), ("api_url", _api.BaseUrl))))
            .SendAsync(Item("x", Some.List("a@b.c")), CancellationToken.None);

        Assert.Equal("""{"urls":"json://localhost:1234/hook?:sound=ocean","title":"","body":"*hi*","type":"info","format":"markdown"}""", _api.Requests[0].BodyText);
        Assert.Equal("json://localhost:1234/hook?:sound=ocean&to=a%40b.c", _api.Requests[1].Json.GetProperty("urls").GetString());
    }

    [Theory]
    [InlineData(-2, "info")]
    [InlineData(0, "info")]
    [InlineData(1, "warning")]
    [InlineData(2, "failure")]
    public async Task The_type_follows_the_priority(int priority, string type)
    {
        _api.On("POST", "/notify/", FakeHttpResponse.Text("ok"));
        await Sink().SendAsync(Item("x", Some.List(), priority: priority), CancellationToken.None);

        Assert.Equal(type, Assert.Single(_api.Requests).Json.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_failed_service_behind_the_url_and_server_errors_are_transient_and_a_bad_request_permanent()
    {
        _api.On("POST", "/notify/", FakeHttpResponse.Text("One or more notification could not be sent.", 424), FakeHttpResponse.Text("oops", 500),
            FakeHttpResponse.Text("Bad URL", 400));
        var sink = Sink();
        async Task<Exception> Fail() => await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("x", Some.List("a@b.c")), CancellationToken.None).AsTask());

        var failedDependency = await Fail();
        DeliveryFailures.AssertTransient(failedDependency, null);
        Assert.Equal("apprise notify failed: HTTP 424: the Apprise URL's service did not accept the notification", failedDependency.Message);
        DeliveryFailures.AssertTransient(await Fail(), null);
        var bad = await Fail();
        DeliveryFailures.AssertPermanent(bad);
        Assert.Equal("apprise notify failed: HTTP 400: Bad URL", bad.Message);
    }

    [Fact]
    public async Task The_base_uri_never_appears_in_logs_or_failures()
    {
        _api.On("POST", "/notify/", FakeHttpResponse.Text("ok"), FakeHttpResponse.Text("nope", 424));
        var context = new TestPluginContext(Some.Dict(("baseuri", BaseUri), ("api_url", _api.BaseUrl)));
        var sink = BuiltInPlugins.Create("apprise", context);
        await sink.SendAsync(Item("x", Some.List("a@b.c")), CancellationToken.None);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("x", Some.List("a@b.c")), CancellationToken.None).AsTask());

        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_and_options_are_checked_when_the_configuration_loads()
    {
        var options = Some.Dict(("baseuri", BaseUri));
        Assert.Empty(BuiltInPlugins.Validate("apprise", Some.List("a@b.c", "d@e.f"), options));
        Assert.Empty(BuiltInPlugins.Validate("apprise", Some.List(), options));
        Assert.NotEmpty(BuiltInPlugins.Validate("apprise", "a@b.c", options));
        Assert.NotEmpty(BuiltInPlugins.Validate("apprise", Some.List("a@b.c", 5L), options));
        Assert.NotEmpty(BuiltInPlugins.Validate("apprise", Some.Dict(("to", "a@b.c")), options));

        var missing = BuiltInPlugins.Activate("apprise", Some.Dict(("sender", "x@y.z")));
        Assert.Null(missing.Instance);
        Assert.Contains(missing.Diagnostics, d => d.ToString().Contains("'baseuri' is required", StringComparison.Ordinal));
        var bad = BuiltInPlugins.Activate("apprise", Some.Dict(("baseuri", "not a url"), ("api_url", "ftp://x"), ("format", "rtf")));
        Assert.Null(bad.Instance);
        Assert.Equal(["api_url", "baseuri", "format"], bad.Diagnostics.Select(d => d.Key).Order());
    }

    [Fact]
    public async Task Hub_notify_sends_the_notification_through_the_apprise_api()
    {
        _api.On("POST", "/notify/", FakeHttpResponse.Text("ok"));
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = apprise

            [config:apprise]
            api_url = '{_api.BaseUrl}'
            baseuri = '{BaseUri}'
            sender = 'hub@example.org'
            targets = {"{"} 'ops': ['ops@example.org'] {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "apprise:ops", "disk full", "--title", "Disk", "--priority", "2", "--config", config);

        Assert.True(code == 0, error + output);
        var request = Assert.Single(_api.Requests);
        Assert.Equal("mailtos://user:SECRET-pw@mail.example.org?from=hub%40example.org&to=ops%40example.org", request.Json.GetProperty("urls").GetString());
        Assert.Equal("Disk", request.Json.GetProperty("title").GetString());
        Assert.Equal("disk full", request.Json.GetProperty("body").GetString());
        Assert.Equal("failure", request.Json.GetProperty("type").GetString());
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private ISink Sink(params (string Key, object? Value)[] options) =>
        BuiltInPlugins.Create("apprise", new TestPluginContext(Some.Dict([("baseuri", BaseUri), ("api_url", _api.BaseUrl), .. options])));

    private static DeliveryItem Item(string message, object? descriptor, string title = "", int priority = 0) => new()
    {
        Service = "apprise",
        Section = "t/1",
        Target = "t",
        Addrs = descriptor,
        Topic = "t/1",
        Payload = Encoding.UTF8.GetBytes(message),
        Message = message,
        MessageBytes = Encoding.UTF8.GetBytes(message),
        Title = title,
        Priority = priority,
    };
}
