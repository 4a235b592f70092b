using System.Net;
using System.Net.Sockets;
using System.Text;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Http;

/// <summary>The http plugin (mqttwarn's http_urllib) against a local HTTP server.</summary>
public sealed class HttpSinkTests : IAsyncLifetime
{
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_get_sends_the_formatted_parameters_as_query_string_with_basic_auth()
    {
        _api.On("GET", "/api/kitchen", FakeHttpResponse.Text("ok"));
        var descriptor = Some.List("get", _api.BaseUrl + "/api/{name}?", Some.Dict(("q", "{name} is {value}"), ("xx", "a&b=c/ü")), Some.List("alice", "SECRET-pw"));
        await Sink().SendAsync(Item("msg", descriptor, Data(("name", "kitchen"), ("value", 21.5))), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/api/kitchen", request.Path);
        Assert.Equal("?q=kitchen+is+21.5&xx=a%26b%3Dc%2F%C3%BC", request.Query);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:SECRET-pw")), request.Header("Authorization"));
        Assert.Empty(request.Body);
    }

    [Fact]
    public async Task Raw_and_optional_parameters_take_data_values_nop_and_omission()
    {
        _api.On("GET", "/q", FakeHttpResponse.Text("ok"));
        var descriptor = Some.List("GET", _api.BaseUrl + "/q?fixed=1", Some.Dict(("v", "@value"), ("m", "@missing"), ("u", "?unit"), ("o", "?other"), ("msg", "@message")));
        await Sink().SendAsync(Item("the message", descriptor, Data(("value", 7L), ("unit", "C"))), CancellationToken.None);

        Assert.Equal("?fixed=1&v=7&m=NOP&u=C&msg=the+message", Assert.Single(_api.Requests).Query);
    }

    [Fact]
    public async Task The_shorthand_list_names_data_keys()
    {
        _api.On("GET", "/s", FakeHttpResponse.Text("ok"));
        var descriptor = Some.List("get", _api.BaseUrl + "/s", Some.List("name", "@value", "?unit", "?absent"));
        await Sink().SendAsync(Item("m", descriptor, Data(("name", "hall"), ("value", 3.25), ("unit", "%"))), CancellationToken.None);

        Assert.Equal("?name=hall&value=3.25&unit=%25", Assert.Single(_api.Requests).Query);
    }

    [Fact]
    public async Task A_post_with_parameters_sends_them_form_encoded()
    {
        _api.On("POST", "/form", FakeHttpResponse.Text("ok"));
        await Sink().SendAsync(Item("m", Some.List("post", _api.BaseUrl + "/form", Some.Dict(("q", "{name}"), ("n", "@value"))), Data(("name", "a b"), ("value", 5L))), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("", request.Query);
        Assert.Equal("application/x-www-form-urlencoded", request.Header("Content-Type"));
        Assert.Equal("q=a+b&n=5", request.BodyText);
        Assert.Null(request.Header("Authorization"));
    }

    [Fact]
    public async Task A_post_with_the_json_flag_sends_the_parameters_as_json_keeping_raw_types()
    {
        _api.On("POST", "/json", FakeHttpResponse.Text("ok"));
        var descriptor = Some.List("post", _api.BaseUrl + "/json", Some.Dict(("q", "{name}"), ("n", "@value"), ("on", "@flag"), ("x", "?nope")), null, true);
        await Sink().SendAsync(Item("m", descriptor, Data(("name", "pump"), ("value", 42L), ("flag", true))), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal("""{"q":"pump","n":42,"on":true}""", request.BodyText);
    }

    [Fact]
    public async Task A_post_without_parameters_sends_the_raw_payload_as_json_or_else_the_message()
    {
        _api.On("POST", "/raw", FakeHttpResponse.Text("ok"));
        _api.On("POST", "/text", FakeHttpResponse.Text("ok"));
        var sink = Sink();
        var item = Item("formatted ü", Some.List("post", _api.BaseUrl + "/raw", null, null, true)) is var i
            ? new DeliveryItem { Service = i.Service, Section = i.Section, Target = i.Target, Addrs = i.Addrs, Topic = i.Topic, Data = i.Data, Message = i.Message, MessageBytes = i.MessageBytes, Payload = Encoding.UTF8.GetBytes("""{"t": 1}""") }
            : null!;
        await sink.SendAsync(item, CancellationToken.None);
        await sink.SendAsync(Item("formatted ü", Some.List("post", _api.BaseUrl + "/text", null)), CancellationToken.None);

        Assert.Equal("application/json", _api.Requests[0].Header("Content-Type"));
        Assert.Equal("""{"t": 1}""", _api.Requests[0].BodyText);
        Assert.Equal("text/plain; charset=utf-8", _api.Requests[1].Header("Content-Type"));
        Assert.Equal("formatted ü", _api.Requests[1].BodyText);
    }

    [Fact]
    public async Task A_url_that_cannot_be_formatted_is_used_as_written()
    {
        _api.On("GET", "/a/{missing}", FakeHttpResponse.Text("ok"));
        await Sink().SendAsync(Item("m", Some.List("get", _api.BaseUrl + "/a/{missing}", null)), CancellationToken.None);

        Assert.Equal("/a/{missing}", Assert.Single(_api.Requests).Path);
    }

    [Fact]
    public async Task A_parameter_that_cannot_be_formatted_fails_permanently_without_a_request()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            Sink().SendAsync(Item("m", Some.List("get", _api.BaseUrl + "/p", Some.Dict(("q", "{missing}")))), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.StartsWith("http: parameter 'q' cannot be formatted", error.Message);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task Client_errors_are_permanent_and_server_errors_and_429_transient()
    {
        _api.On("POST", "/e", FakeHttpResponse.Text("bad field", 400), FakeHttpResponse.Text("down", 503),
            FakeHttpResponse.Text("slow down", 429) with { Headers = new Dictionary<string, string> { ["Retry-After"] = "12" } });
        var sink = Sink();
        async Task<Exception> Fail() => await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("m", Some.List("post", _api.BaseUrl + "/e", null)), CancellationToken.None).AsTask());

        var refused = await Fail();
        DeliveryFailures.AssertPermanent(refused);
        Assert.Equal("http POST failed: HTTP 400: bad field", refused.Message);
        var down = await Fail();
        DeliveryFailures.AssertTransient(down, null);
        Assert.Equal("http POST failed: HTTP 503: down", down.Message);
        DeliveryFailures.AssertTransient(await Fail(), TimeSpan.FromSeconds(12));
    }

    [Fact]
    public async Task A_refused_connection_is_transient_and_names_neither_url_nor_credentials()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var context = new TestPluginContext();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => BuiltInPlugins.Create("http", context)
            .SendAsync(Item("m", Some.List("get", $"http://127.0.0.1:{port}/SECRET-path?token=SECRET", null, Some.List("u", "SECRET-pw"))), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.Equal("http GET failed: ConnectionRefused", error.Message);
        Assert.DoesNotContain("SECRET", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_after_the_configured_seconds()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var time = new FakeTimeProvider();
        var sink = BuiltInPlugins.Create("http", new TestPluginContext(Some.Dict(("timeout", 5L))) { TimeProvider = time });

        var send = sink.SendAsync(Item("m", Some.List("get", $"http://127.0.0.1:{port}/", null)), CancellationToken.None).AsTask();
        using var accepted = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        Assert.False(send.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => send.WaitAsync(TimeSpan.FromSeconds(10)));
        DeliveryFailures.AssertTransient(error, null);
        Assert.Equal("http GET timed out after 5 s", error.Message);
    }

    [Fact]
    public void Descriptors_are_checked_when_the_configuration_loads()
    {
        Assert.Empty(BuiltInPlugins.Validate("http", Some.List("get", "http://example.org?", Some.Dict(("q", "{name}")), Some.List("u", "p"))));
        Assert.Empty(BuiltInPlugins.Validate("http", Some.List("post", "https://example.net", Some.Dict(("q", "{name}")), null, true)));
        Assert.Empty(BuiltInPlugins.Validate("http", Some.List("post", "https://example.net", Some.List("a", "@b", "?c"))));
        Assert.Contains("unsupported HTTP method 'put'", Assert.Single(BuiltInPlugins.Validate("http", Some.List("put", "https://example.net", null))));
        Assert.NotEmpty(BuiltInPlugins.Validate("http", Some.List("get")));
        Assert.NotEmpty(BuiltInPlugins.Validate("http", Some.List("get", "ftp://example.org", null)));
        Assert.NotEmpty(BuiltInPlugins.Validate("http", Some.List("get", "https://example.org", "q")));
        Assert.NotEmpty(BuiltInPlugins.Validate("http", Some.List("get", "https://example.org", null, Some.List("only-user"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("http", Some.List("get", "https://example.org", null, null, "maybe")));
        Assert.NotEmpty(BuiltInPlugins.Validate("http", Some.Dict(("url", "https://example.org"))));
        Assert.Contains("'p' is named twice", Assert.Single(BuiltInPlugins.Validate("http", Some.List("post", "https://example.net", Some.List("p", "@p")))));
    }

    [Fact]
    public void A_timeout_must_be_positive()
    {
        var activation = BuiltInPlugins.Activate("http", Some.Dict(("timeout", 0L)));
        Assert.Null(activation.Instance);
        Assert.Contains(activation.Diagnostics, d => d.Key == "timeout");
    }

    [Fact]
    public async Task Hub_notify_posts_the_message()
    {
        _api.On("POST", "/notify", FakeHttpResponse.Text("ok"));
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = http

            [config:http]
            timeout = 10
            targets = {"{"} 'hook': ['post', '{_api.BaseUrl}/notify', {"{"}'text': '@message', 'topic': '{"{"}topic{"}"}'{"}"}, ['hub', 'SECRET-pw'], True] {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "http:hook", "disk full", "--config", config);

        Assert.True(code == 0, error + output);
        var request = Assert.Single(_api.Requests);
        Assert.Equal("/notify", request.Path);
        Assert.Equal("disk full", request.Json.GetProperty("text").GetString());
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("hub:SECRET-pw")), request.Header("Authorization"));
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private static ISink Sink(params (string Key, object? Value)[] options) => BuiltInPlugins.Create("http", new TestPluginContext(Some.Dict(options)));

    private static Dictionary<string, object?> Data(params (string Key, object? Value)[] entries) => entries.ToDictionary(e => e.Key, e => e.Value);

    private static DeliveryItem Item(string message, object? descriptor, IReadOnlyDictionary<string, object?>? data = null) => new()
    {
        Service = "http",
        Section = "t/1",
        Target = "t",
        Addrs = descriptor,
        Topic = "t/1",
        Payload = Encoding.UTF8.GetBytes(message),
        Data = data ?? new Dictionary<string, object?>(),
        Message = message,
        MessageBytes = Encoding.UTF8.GetBytes(message),
    };

    [Fact]
    public async Task A_request_bound_once_serves_every_message_without_the_descriptor_being_parsed_again()
    {
        _api.On("GET", "/api/hall", FakeHttpResponse.Text("ok"));
        var descriptor = Some.List("get", _api.BaseUrl + "/api/{name}?", Some.Dict(("v", "@value")));
        var sink = Sink();
        var bound = BuiltInPlugins.Bind(sink, descriptor);

        await sink.SendAsync(BuiltInPlugins.WithBinding(Item("m", descriptor, Data(("name", "hall"), ("value", 1L))), bound), CancellationToken.None);
        await sink.SendAsync(BuiltInPlugins.WithBinding(Item("m", descriptor, Data(("name", "hall"), ("value", 2L))), bound), CancellationToken.None);

        Assert.Equal(["?v=1", "?v=2"], _api.Requests.Select(r => r.Query));
    }
}
