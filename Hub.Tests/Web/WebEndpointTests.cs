using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hub.Tests.Support;

namespace Hub.Tests.Web;

/// <summary>The [web] endpoint of a real Generic Host in this process, asked with HttpClient.</summary>
public sealed class WebEndpointTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new() { Timeout = Wait };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _http.Dispose();
        _temp.Dispose();
        return Task.CompletedTask;
    }

    private Task<InProcessHub> StartAsync(string web = "listen = 127.0.0.1:0") =>
        InProcessHub.StartAsync(_temp.Write("hub.ini", WebConfigs.TwoTargets(_temp.Path, web)));

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(InProcessHub hub, string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(hub.WebAddress, path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task WaitUntilReadyAsync(InProcessHub hub, string? token = null)
    {
        await Condition.UntilAsync(() => hub.Runtime.IsConnected, Wait, "the hub's session connected");
        var (status, body) = await GetAsync(hub, "/ready", token);
        Assert.True(status == HttpStatusCode.OK, body);
    }

    [Fact]
    public async Task Healthz_answers_ok_and_ready_answers_200_once_the_session_is_connected()
    {
        await using var hub = await StartAsync();
        var (status, body) = await GetAsync(hub, "/healthz");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok\n", body);
        await WaitUntilReadyAsync(hub);
        Assert.Contains("\"ready\":true", (await GetAsync(hub, "/ready")).Body);
    }

    [Fact]
    public async Task Ready_turns_503_with_the_failing_target_as_reason_when_a_target_fails()
    {
        await using var hub = await StartAsync();
        await WaitUntilReadyAsync(hub);
        await hub.PublishAsync("web/bad/x", "cannot be written");
        await Condition.UntilAsync(() => hub.Runtime.Queues.Any(q => q.IsFailing), Wait, "the bad target failing");
        var ready = await GetAsync(hub, "/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        using var json = JsonDocument.Parse(ready.Body);
        Assert.False(json.RootElement.GetProperty("ready").GetBoolean());
        Assert.Equal(["target file:bad is failing"], json.RootElement.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Status_reports_the_version_the_config_file_and_counters_per_route_and_target()
    {
        await using var hub = await StartAsync();
        await WaitUntilReadyAsync(hub);
        await hub.PublishAsync("web/ok/a", "one");
        await hub.PublishAsync("web/ok/b", "two");
        await FileWait.LinesAsync(_temp.File("good.log"), 2, Wait);

        var (status, body) = await GetAsync(hub, "/api/status");
        Assert.Equal(HttpStatusCode.OK, status);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("0.1.0", root.GetProperty("version").GetString());
        Assert.True(root.GetProperty("uptime_seconds").GetDouble() >= 0);
        Assert.Equal(_temp.File("hub.ini"), root.GetProperty("config").GetProperty("file").GetString());
        Assert.Equal(hub.Runtime.Config.LoadedAt, root.GetProperty("config").GetProperty("loaded_at").GetDateTimeOffset());
        Assert.True(root.GetProperty("broker").GetProperty("connected").GetBoolean());
        Assert.Equal(2, root.GetProperty("messages").GetProperty("received").GetInt64());
        Assert.Equal(2, root.GetProperty("messages").GetProperty("routed").GetInt64());
        var route = root.GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "web/ok/#");
        Assert.Equal(2, route.GetProperty("matched").GetInt64());
        Assert.Equal(2, route.GetProperty("notifications").GetInt64());
        var target = root.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "file:good");
        Assert.Equal(2, target.GetProperty("delivered").GetInt64());
        Assert.Equal(0, target.GetProperty("queue_depth").GetInt64());
        Assert.False(target.GetProperty("failing").GetBoolean());
    }

    [Fact]
    public async Task Metrics_are_in_the_prometheus_text_format_with_the_hubs_counters()
    {
        await using var hub = await StartAsync();
        await WaitUntilReadyAsync(hub);
        await hub.PublishAsync("web/ok/m", "metered");
        await FileWait.LinesAsync(_temp.File("good.log"), 1, Wait);

        var (status, body) = await GetAsync(hub, "/metrics");
        Assert.Equal(HttpStatusCode.OK, status);
        var lines = body.Split('\n');
        Assert.Contains("hub_messages_received 1", lines);
        Assert.Contains("hub_target_delivered{service=\"file\",target=\"good\"} 1", lines);
        Assert.Contains("hub_route_matched{route=\"web/ok/#\"} 1", lines);
        Assert.Contains("hub_broker_connected 1", lines);
        Assert.Contains(lines, l => l.StartsWith("hub_broker_clients ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("# TYPE hub_target_queue_depth ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_or_missing_token_gets_401_is_counted_and_never_logged()
    {
        const string token = "s3cret-web-token-4711";
        await using var hub = await StartAsync($"listen = 127.0.0.1:0\nauth_token = {token}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(hub, "/metrics")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(hub, "/api/status", "wrong-token-0815")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(hub, "/healthz", token + "x")).Status);

        var (status, body) = await GetAsync(hub, "/metrics", token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("hub_web_unauthorized_requests 3", body.Split('\n'));
        var logged = string.Join('\n', hub.Logs.Records.Select(r => r.Message));
        Assert.Contains("refused a request to /api/status", logged);
        Assert.DoesNotContain(token, logged);
        Assert.DoesNotContain("wrong-token-0815", logged);
    }
}
