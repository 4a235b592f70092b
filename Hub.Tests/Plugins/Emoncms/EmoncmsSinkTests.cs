using System.Text;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Emoncms;

/// <summary>The emoncms plugin against a local stand-in of EmonCMS.</summary>
public sealed class EmoncmsSinkTests : IAsyncLifetime
{
    private const string Key = "SECRET-apikey";
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_value_goes_to_the_targets_node_and_input_as_fulljson()
    {
        _api.On("GET", "/emoncms/input/post", FakeHttpResponse.Text("ok"));
        await Sink().SendAsync(Item(" 1234.5 ", Some.List(1L, "usage")), CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/emoncms/input/post", request.Path);
        Assert.Equal("?node=1&fulljson=%7B%22usage%22%3A1234.5%7D&apikey=SECRET-apikey", request.Query);
    }

    [Fact]
    public async Task Integers_and_named_nodes_are_sent_as_they_are()
    {
        _api.On("GET", "/emoncms/input/post", FakeHttpResponse.Json("""{"success": true}"""));
        await Sink().SendAsync(Item("-3", Some.List("house", "solar power")), CancellationToken.None);

        Assert.Equal("?node=house&fulljson=%7B%22solar+power%22%3A-3%7D&apikey=SECRET-apikey", Assert.Single(_api.Requests).Query);
    }

    [Fact]
    public async Task A_message_that_is_not_a_number_fails_permanently_without_a_request()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("warm", Some.List(1L, "t")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("emoncms: the message must be a number", error.Message);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task A_refusal_inside_http_200_is_permanent_and_server_errors_are_transient()
    {
        _api.On("GET", "/emoncms/input/post", FakeHttpResponse.Json("""{"success": false, "message": "Invalid node"}"""), FakeHttpResponse.Text("Error: bad", 200),
            FakeHttpResponse.Text("down", 502));
        var sink = Sink();
        async Task<Exception> Fail() => await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("1", Some.List(1L, "t")), CancellationToken.None).AsTask());

        var invalid = await Fail();
        DeliveryFailures.AssertPermanent(invalid);
        Assert.Equal("emoncms input/post failed: Invalid node", invalid.Message);
        var text = await Fail();
        DeliveryFailures.AssertPermanent(text);
        Assert.Equal("emoncms input/post failed: Error: bad", text.Message);
        DeliveryFailures.AssertTransient(await Fail(), null);
    }

    [Fact]
    public async Task The_api_key_never_appears_in_logs_or_failures()
    {
        _api.On("GET", "/emoncms/input/post", FakeHttpResponse.Text("ok"), FakeHttpResponse.Text("forbidden", 403));
        var context = Context();
        var sink = BuiltInPlugins.Create("emoncms", context);
        await sink.SendAsync(Item("1", Some.List(1L, "t")), CancellationToken.None);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(Item("1", Some.List(1L, "t")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.NotEmpty(context.Log.Records);
        Assert.DoesNotContain(context.Log.Records, r => r.Message.Contains("SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_and_options_are_checked_when_the_configuration_loads()
    {
        var options = Some.Dict(("url", "http://localhost/emoncms"), ("apikey", Key));
        Assert.Empty(BuiltInPlugins.Validate("emoncms", Some.List(1L, "usage"), options));
        Assert.Empty(BuiltInPlugins.Validate("emoncms", Some.List("house", "usage"), options));
        Assert.NotEmpty(BuiltInPlugins.Validate("emoncms", Some.List(1L), options));
        Assert.NotEmpty(BuiltInPlugins.Validate("emoncms", Some.List(1L, ""), options));
        Assert.NotEmpty(BuiltInPlugins.Validate("emoncms", Some.List(1.5, "usage"), options));

        var bad = BuiltInPlugins.Activate("emoncms", Some.Dict(("url", "localhost/emoncms"), ("apikey", " "), ("timeout", 0L)));
        Assert.Null(bad.Instance);
        Assert.Equal(["apikey", "timeout", "url"], bad.Diagnostics.Select(d => d.Key).Order());
    }

    [Fact]
    public async Task Hub_notify_posts_the_value()
    {
        _api.On("GET", "/emoncms/input/post", FakeHttpResponse.Text("ok"));
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = emoncms

            [config:emoncms]
            url = '{_api.BaseUrl}/emoncms'
            apikey = '{Key}'
            timeout = 5
            targets = {"{"} 'usage': [7, 'usage'] {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "emoncms:usage", "42", "--config", config);

        Assert.True(code == 0, error + output);
        Assert.Equal("?node=7&fulljson=%7B%22usage%22%3A42%7D&apikey=SECRET-apikey", Assert.Single(_api.Requests).Query);
        Assert.DoesNotContain("SECRET", error + output, StringComparison.Ordinal);
    }

    private TestPluginContext Context() => new(Some.Dict(("url", _api.BaseUrl + "/emoncms/"), ("apikey", Key)));

    private ISink Sink() => BuiltInPlugins.Create("emoncms", Context());

    private static DeliveryItem Item(string message, object? descriptor) => new()
    {
        Service = "emoncms",
        Section = "t/1",
        Target = "t",
        Addrs = descriptor,
        Topic = "t/1",
        Payload = Encoding.UTF8.GetBytes(message),
        Message = message,
        MessageBytes = Encoding.UTF8.GetBytes(message),
    };
}
