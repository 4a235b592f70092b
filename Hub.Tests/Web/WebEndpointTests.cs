using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
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

    /// <summary>
    /// /metrics once it shows <paramref name="line"/>: a target counts a delivery just after its sink wrote the line,
    /// so the file can be ahead of the counter for a moment.
    /// </summary>
    private async Task<string[]> MetricsWithAsync(InProcessHub hub, string line)
    {
        var lines = Array.Empty<string>();
        await Condition.UntilAsync(async () => (lines = (await GetAsync(hub, "/metrics")).Body.Split('\n')).Contains(line), Wait, $"/metrics showing {line}");
        return lines;
    }

    private async Task<string?> ContentTypeAsync(InProcessHub hub, string path)
    {
        using var response = await _http.GetAsync(new Uri(hub.WebAddress, path));
        return response.Content.Headers.ContentType?.ToString();
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
        await MetricsWithAsync(hub, "hub_target_delivered{service=\"file\",target=\"good\"} 2");

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

        var lines = await MetricsWithAsync(hub, "hub_target_delivered{service=\"file\",target=\"good\"} 1");
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", await ContentTypeAsync(hub, "/metrics"));
        Assert.Contains("hub_messages_received 1", lines);
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

    [Fact]
    public async Task With_certfile_and_keyfile_the_endpoint_speaks_https_with_that_certificate()
    {
        var ca = await TestCertificates.CreateCaAsync(_temp.File("ca"));
        var server = await TestCertificates.IssueAsync(ca, _temp.Path, "localhost", "DNS:localhost", "IP:127.0.0.1");
        await using var hub = await StartAsync($"listen = 127.0.0.1:0\ncertfile = {server.CertPath}\nkeyfile = {server.KeyPath}");
        Assert.Equal("https", hub.WebAddress.Scheme);

        X509Certificate2? presented = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.RawData);
                return true;
            },
        };
        using var https = new HttpClient(handler) { Timeout = Wait };
        Assert.Equal("ok\n", await https.GetStringAsync(new Uri(hub.WebAddress, "/healthz")));
        using var expected = X509CertificateLoader.LoadCertificateFromFile(server.CertPath);
        Assert.Equal(expected.Thumbprint, presented?.Thumbprint);
        presented?.Dispose();
    }

    [Fact]
    public async Task Counters_keep_growing_across_a_reload_and_the_reload_is_counted()
    {
        await using var hub = await StartAsync();
        await WaitUntilReadyAsync(hub);
        await hub.PublishAsync("web/ok/a", "before");
        await FileWait.LinesAsync(_temp.File("good.log"), 1, Wait);
        Assert.True(await hub.Runtime.ReloadAsync("test"));
        await hub.PublishAsync("web/ok/b", "after");

        // Two deliveries: one counted by the first configuration's target, one by the reloaded one's.
        var lines = await MetricsWithAsync(hub, "hub_target_delivered{service=\"file\",target=\"good\"} 2");
        Assert.Contains("hub_reloads 1", lines);
        Assert.Contains("hub_messages_received 2", lines);
        Assert.Equal("before\nafter\n", await File.ReadAllTextAsync(_temp.File("good.log")));
    }
}
