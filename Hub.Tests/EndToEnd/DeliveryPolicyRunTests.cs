using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Hub.Tests.Support;

namespace Hub.Tests.EndToEnd;

/// <summary>
/// The real hub against a real mosquitto and a local HTTP API that fails on purpose (answers 500, 429 with
/// Retry-After, 400, hangs, or refuses connections): what arrived, when, and where. The slack plugin posts
/// to webhooks on the local server; the file plugin is the failover target.
/// </summary>
public sealed class DeliveryPolicyRunTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();
    private MosquittoBroker _broker = null!;
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _api = await FakeHttpApi.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    private static FakeHttpResponse Status(int status, string body = "error") => FakeHttpResponse.Text(body, status);

    private string Config(string clientId, string slackOptions, string routes, string defaults = "") => $$"""
        {{HubConfigFiles.Defaults(_broker, clientId, "launch = slack, file\nretry_backoff = 200ms\n" + defaults)}}

        [config:slack]
        {{slackOptions}}
        targets = {
            'flaky'   : {'webhook_url': '{{_api.BaseUrl}}/hooks/flaky'},
            'busy'    : {'webhook_url': '{{_api.BaseUrl}}/hooks/busy'},
            'slow'    : {'webhook_url': '{{_api.BaseUrl}}/hooks/slow'},
            'bad'     : {'webhook_url': '{{_api.BaseUrl}}/hooks/bad'},
            'down'    : {'webhook_url': 'http://127.0.0.1:{{Loopback.ClosedPort()}}/hooks/down'},
            'ops'     : {'webhook_url': '{{_api.BaseUrl}}/hooks/ops'},
          }

        [config:file]
        append_newline = True
        targets = { 'out': ['{{_temp.File("out.log")}}'], 'events': ['{{_temp.File("events.log")}}'] }

        {{routes}}
        """;

    private static string Text(FakeHttpRequest request) => JsonDocument.Parse(request.Body).RootElement.GetProperty("attachments")[0].GetProperty("text").GetString()!;

    [Fact]
    public async Task Answers_500_then_429_with_retry_after_then_a_hang_are_retried_until_each_message_arrives()
    {
        _api.On("POST", "/hooks/flaky", Status(500), Status(502), FakeHttpResponse.Text("ok"));
        _api.On("POST", "/hooks/busy", Status(429, "rate limited") with { Headers = new Dictionary<string, string> { ["Retry-After"] = "1" } }, FakeHttpResponse.Text("ok"));
        _api.On("POST", "/hooks/slow", FakeHttpResponse.Text("ok") with { Delay = TimeSpan.FromMinutes(5) }, FakeHttpResponse.Text("ok"));
        var config = _temp.Write("hub.ini", Config("policy-retry", "plugin_timeout = 1", """
            [alarms/flaky]
            targets = slack:flaky

            [alarms/busy]
            targets = slack:busy

            [alarms/slow]
            targets = slack:slow
            """));
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        await hub.WaitForLineAsync("Subscribed", Wait);

        await MosquittoClients.PublishAsync(_broker, "alarms/flaky", "pump 1 hot");
        await MosquittoClients.PublishAsync(_broker, "alarms/busy", "pump 2 hot");
        await MosquittoClients.PublishAsync(_broker, "alarms/slow", "pump 3 hot");
        var requests = await _api.WaitForRequestsAsync(7, Wait);

        var flaky = requests.Where(r => r.Path == "/hooks/flaky").ToList();
        Assert.Equal(3, flaky.Count);
        Assert.All(flaky, r => Assert.Equal("pump 1 hot", Text(r)));
        Assert.True(flaky[1].Received - flaky[0].Received >= TimeSpan.FromMilliseconds(100), "the first retry came before the backoff");

        var busy = requests.Where(r => r.Path == "/hooks/busy").ToList();
        Assert.Equal(2, busy.Count);
        Assert.True(busy[1].Received - busy[0].Received >= TimeSpan.FromMilliseconds(950), $"Retry-After: 1 not honoured ({(busy[1].Received - busy[0].Received).TotalMilliseconds} ms)");

        var slow = requests.Where(r => r.Path == "/hooks/slow").ToList();
        Assert.Equal(2, slow.Count);
        Assert.All(slow, r => Assert.Equal("pump 3 hot", Text(r)));

        await hub.WaitForLineAsync("Retrying slack:flaky", Wait);
        await hub.WaitForLineAsync("Target slack:slow delivers again", Wait);
        Assert.Contains(hub.Lines, l => l.Contains("timed out after 1 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refused_connections_and_a_400_end_in_the_failover_target_and_the_failover_section_hears_of_it()
    {
        _api.On("POST", "/hooks/bad", Status(400, "invalid_payload"));
        var config = _temp.Write("hub.ini", Config("policy-failover", "retries = 2\nfailover.down = file:out", """
            [alarms/down]
            targets = slack:down

            [alarms/bad]
            targets = slack:bad
            failover = file:out

            [failover]
            targets = file:events
            """));
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        await hub.WaitForLineAsync("Subscribed", Wait);

        await MosquittoClients.PublishAsync(_broker, "alarms/bad", "valve stuck");
        Assert.Equal("valve stuck\n", await FileWait.LinesAsync(_temp.File("out.log"), 1, Wait));
        await MosquittoClients.PublishAsync(_broker, "alarms/down", "pump 4 hot");
        Assert.Equal("valve stuck\npump 4 hot\n", await FileWait.LinesAsync(_temp.File("out.log"), 2, Wait));

        // A 400 is permanent: one request, no retry.
        Assert.Single(_api.Requests, r => r.Path == "/hooks/bad");
        await hub.WaitForLineAsync("Notification failed over from slack:bad to file:out (a permanent failure: slack webhook failed: HTTP 400: invalid_payload)", Wait);
        await hub.WaitForLineAsync("Notification failed over from slack:down to file:out (2 retries exhausted", Wait);
        Assert.Equal(2, hub.Lines.Count(l => l.Contains("Retrying slack:down", StringComparison.Ordinal)));

        var events = await FileWait.LinesAsync(_temp.File("events.log"), 2, Wait);
        Assert.Contains("Target slack:bad is failing: a permanent failure: slack webhook failed: HTTP 400: invalid_payload", events);
        Assert.Contains("Target slack:down is failing: 2 retries exhausted", events);
    }

    [Fact]
    public async Task What_no_failover_takes_becomes_a_dead_letter_that_hub_dlq_replay_delivers_once_the_api_is_fixed()
    {
        _api.On("POST", "/hooks/bad", Status(400, "invalid_token"));
        var config = _temp.Write("hub.ini", Config("policy-dlq", "", """
            [alarms/bad]
            targets = slack:bad
            """));
        await using (var hub = HubProcess.Start(_temp.Path, "run", "--config", config))
        {
            await hub.WaitForLineAsync("Subscribed", Wait);
            await MosquittoClients.PublishAsync(_broker, "alarms/bad", "boiler pressure low");
            await hub.WaitForLineAsync("(hub dlq list)", Wait);
        }

        var (code, output, error) = await Cli.CliRunner.RunAsync("dlq", "list", "--config", config);
        Assert.True(code == 0, error);
        Assert.Contains("slack:bad  topic=alarms/bad  reason: a permanent failure: slack webhook failed: HTTP 400: invalid_token", output, StringComparison.Ordinal);

        _api.On("POST", "/hooks/bad", FakeHttpResponse.Text("ok"));
        (code, output, error) = await Cli.CliRunner.RunAsync("dlq", "replay", "--config", config);
        Assert.True(code == 0, error + output);
        Assert.Equal(["boiler pressure low", "boiler pressure low"], _api.Requests.Select(Text));
        (_, output, _) = await Cli.CliRunner.RunAsync("dlq", "list", "--config", config);
        Assert.Contains("No dead letters", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_durable_target_delivers_after_kill_9_what_was_journaled_and_not_yet_delivered()
    {
        _api.On("POST", "/hooks/flaky", Status(503, "down for maintenance"));
        var config = _temp.Write("hub.ini", Config("policy-durable", "durable.flaky = true\nretry_backoff = 1h", """
            [alarms/durable]
            targets = slack:flaky
            qos = 1
            """));
        await using (var hub = HubProcess.Start(_temp.Path, "run", "--config", config))
        {
            await hub.WaitForLineAsync("Subscribed", Wait);
            foreach (var payload in new[] { "one", "two", "three" })
            {
                await MosquittoClients.PublishAsync(_broker, "alarms/durable", payload, qos: 1);
            }

            // The first is being retried (in an hour); all three are journaled, none is delivered.
            await hub.WaitForLineAsync("Retrying slack:flaky in", Wait);
            var journal = Path.Combine(_temp.Path, ".hub-state", "journal", "slack", "flaky.journal");
            await FileWait.UntilAsync(journal, text => text.Contains("three", StringComparison.Ordinal), Wait);
            hub.Signal(9);
            await hub.WaitForExitAsync(Wait);
        }

        _api.On("POST", "/hooks/flaky", FakeHttpResponse.Text("ok"));
        await using (var hub = HubProcess.Start(_temp.Path, "run", "--config", config))
        {
            await hub.WaitForLineAsync("Delivering 3 journaled notifications for slack:flaky left from the last run", Wait);
            var requests = await _api.WaitForRequestsAsync(4, Wait);
            Assert.Equal(["one", "one", "two", "three"], requests.Select(Text));

            // A clean stop flushes the done records (they are not fsynced one by one: a kill here could replay them, at least once).
            hub.Terminate();
            Assert.Equal(0, await hub.WaitForExitAsync(Wait));
        }

        // Delivered and marked done: a third start has nothing left to deliver.
        await using (var hub = HubProcess.Start(_temp.Path, "run", "--config", config))
        {
            await hub.WaitForLineAsync("Subscribed", Wait);
            Assert.DoesNotContain(hub.Lines, l => l.Contains("journaled notifications", StringComparison.Ordinal));
        }

        Assert.Equal(4, _api.Requests.Count);
    }

    [Fact]
    public async Task A_QoS_1_message_is_acknowledged_only_once_delivered_so_after_kill_9_the_broker_sends_it_again()
    {
        // The target takes its time (no failure yet): the message is not acknowledged while the request is under way.
        _api.On("POST", "/hooks/flaky", FakeHttpResponse.Text("ok") with { Delay = TimeSpan.FromMinutes(5) });
        var config = _temp.Write("hub.ini", Config("policy-ack", "plugin_timeout = 600", """
            [alarms/acked]
            targets = slack:flaky
            qos = 1
            """, "cleansession = False"));
        await using (var hub = HubProcess.Start(_temp.Path, "run", "--config", config))
        {
            await hub.WaitForLineAsync("Subscribed", Wait);
            await MosquittoClients.PublishAsync(_broker, "alarms/acked", "not yet delivered", qos: 1);
            await _api.WaitForRequestsAsync(1, Wait);
            hub.Signal(9);
            await hub.WaitForExitAsync(Wait);
        }

        _api.On("POST", "/hooks/flaky", FakeHttpResponse.Text("ok"));
        await using (var hub = HubProcess.Start(_temp.Path, "run", "--config", config))
        {
            // The persistent session kept the unacknowledged message: the broker sends it again.
            var requests = await _api.WaitForRequestsAsync(2, Wait);
            Assert.Equal(["not yet delivered", "not yet delivered"], requests.Select(Text));
            hub.Terminate();
            Assert.Equal(0, await hub.WaitForExitAsync(Wait));
        }

        // Delivered and acknowledged on a clean stop: a third start gets nothing again.
        await using (var hub = HubProcess.Start(_temp.Path, "run", "--config", config))
        {
            await hub.WaitForLineAsync("Subscribed", Wait);
            await MosquittoClients.PublishAsync(_broker, "alarms/acked", "marker", qos: 1);
            var requests = await _api.WaitForRequestsAsync(3, Wait);
            Assert.Equal(["not yet delivered", "not yet delivered", "marker"], requests.Select(Text));
        }
    }

    [Fact]
    public async Task A_rate_limit_spaces_requests_dedup_sends_repeats_once_and_format_overrides_apply_per_target()
    {
        _api.On("POST", "/hooks/ops", FakeHttpResponse.Text("ok"));
        _api.On("POST", "/hooks/flaky", FakeHttpResponse.Text("ok"));
        var config = _temp.Write("hub.ini", Config("policy-shape", "rate.ops = 1/s", """
            [alarms/warm]
            targets = slack:flaky

            [alarms/rated]
            targets = slack:ops

            [alarms/repeated]
            targets = slack:ops, file:out
            dedup = 10m
            format = {payload}
            format.slack.ops = ALERT {payload} on {topic}
            title.slack = Repeated alarm
            """));
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        await hub.WaitForLineAsync("Subscribed", Wait);

        // The first request of a process is slow (connection, JIT): warm up on another target, so only the limit spaces requests.
        await MosquittoClients.PublishAsync(_broker, "alarms/warm", "warm up");
        await _api.WaitForRequestsAsync(1, Wait);
        var published = DateTimeOffset.UtcNow;
        foreach (var payload in new[] { "a", "b", "c" })
        {
            await MosquittoClients.PublishAsync(_broker, "alarms/rated", payload);
        }

        // One token per second, a burst of one: "c" is granted two seconds after "a" at the earliest, and "a" after it was
        // published. Gaps between arrivals prove nothing (a late "b" shortens the next gap although the limiter behaved):
        // when each grant comes is asserted on a fake clock in RateLimitStepTests; here only a bound no delay can break.
        var rated = (await _api.WaitForRequestsAsync(4, Wait)).Skip(1).ToList();
        Assert.Equal(["a", "b", "c"], rated.Select(Text));
        Assert.True(rated[2].Received - published >= TimeSpan.FromMilliseconds(1900), $"the third request came before its token ({(rated[2].Received - published).TotalMilliseconds} ms after publishing)");

        foreach (var payload in new[] { "disk full", "disk full", "disk full", "disk ok" })
        {
            await MosquittoClients.PublishAsync(_broker, "alarms/repeated", payload);
        }

        Assert.Equal("disk full\ndisk ok\n", await FileWait.LinesAsync(_temp.File("out.log"), 2, Wait));
        var repeated = (await _api.WaitForRequestsAsync(6, Wait)).Skip(4).ToList();
        Assert.Equal(["ALERT disk full on alarms/repeated", "ALERT disk ok on alarms/repeated"], repeated.Select(Text));
        Assert.All(repeated, r => Assert.Equal("Repeated alarm", JsonDocument.Parse(r.Body).RootElement.GetProperty("text").GetString()));
        await hub.WaitForLineAsync("Notification not sent again within 10 min", Wait);
    }
}
