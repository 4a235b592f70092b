using Hub.Tests.Support;

namespace Hub.Tests.EndToEnd;

/// <summary>The real hub process against a real mosquitto: messages in, exact file contents out.</summary>
public sealed class HubRunTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Persistence = true });

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    private async Task<HubProcess> StartHubAsync(string ini)
    {
        var config = _temp.Write("hub.ini", ini);
        var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        await hub.WaitForLineAsync("Subscribed", Wait);
        return hub;
    }

    [Fact]
    public async Task Messages_from_mosquitto_pub_are_formatted_into_the_file_exactly()
    {
        var output = _temp.File("out.log");
        await using var hub = await StartHubAsync(HubConfigFiles.FileRoute(_broker, "e2e-file", output, format: "{name}={value:.1f}"));
        await MosquittoClients.PublishAsync(_broker, "test/a", """{"name": "temp", "value": 21.54}""");
        await MosquittoClients.PublishAsync(_broker, "test/b", """{"name": "hum", "value": 40}""");
        var content = await FileWait.LinesAsync(output, 2, Wait);
        Assert.Equal("temp=21.5\nhum=40.0\n", content);
    }

    [Fact]
    public async Task Invalid_utf8_reaches_a_file_target_without_format_as_the_replaced_text_the_log_announces()
    {
        var output = _temp.File("out.log");
        await using var hub = await StartHubAsync($$"""
            {{HubConfigFiles.Defaults(_broker, "e2e-utf8", "launch = file")}}

            [config:file]
            append_newline = True
            targets = { 'out': ['{{output}}'] }

            [test/#]
            targets = file:out
            """);
        var payload = _temp.File("payload.bin");
        await File.WriteAllBytesAsync(payload, [(byte)'f', (byte)'o', 0xFF, 0xFE, (byte)'o']);
        var published = await ProcessRunner.RunAsync("mosquitto_pub", ["-h", _broker.Host, "-p", _broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", "test/u", "-f", payload], Wait);
        Assert.True(published.ExitCode == 0, published.ToString());

        await FileWait.LinesAsync(output, 1, Wait);
        // Compared as bytes: reading the file as text would turn raw invalid bytes into U+FFFD too.
        Assert.Equal("fo\uFFFD\uFFFDo\n"u8.ToArray(), await File.ReadAllBytesAsync(output));
        await hub.WaitForLineAsync("Payload on test/u is not valid UTF-8; invalid bytes replaced by U+FFFD", Wait);
    }

    [Fact]
    public async Task Messages_from_the_hubs_own_client_arrive_at_qos_1_and_2()
    {
        var output = _temp.File("out.log");
        await using var hub = await StartHubAsync(HubConfigFiles.FileRoute(_broker, "e2e-qos", output, qos: 2));
        var publisherConfig = _temp.Write("pub.ini", HubConfigFiles.Defaults(_broker, "e2e-publisher"));
        for (var i = 0; i < 5; i++)
        {
            var (code, text) = await HubProcess.RunAsync(_temp.Path, "publish", "--config", publisherConfig, "test/q", $"m{i}", "--qos", (i % 2 + 1).ToString());
            Assert.True(code == 0, text);
        }

        Assert.Equal("m0\nm1\nm2\nm3\nm4\n", await FileWait.LinesAsync(output, 5, Wait));
    }

    [Fact]
    public async Task Sigterm_drains_publishes_lwt_dead_and_exits_zero()
    {
        var output = _temp.File("out.log");
        await using var status = await MosquittoClients.SubscribeAsync(_broker, "clients/e2e-lwt");
        var hub = await StartHubAsync(HubConfigFiles.FileRoute(_broker, "e2e-lwt", output, extraDefaults: "lwt = clients/e2e-lwt"));
        Assert.Equal("clients/e2e-lwt 1", await status.ReadAsync(Wait));
        await MosquittoClients.PublishAsync(_broker, "test/x", "last words");
        await FileWait.LinesAsync(output, 1, Wait);
        hub.Terminate();
        Assert.Equal(0, await hub.WaitForExitAsync(Wait));
        Assert.Equal("clients/e2e-lwt 0", await status.ReadAsync(Wait));
        Assert.Contains("Hub stopped", hub.Output);
        await hub.DisposeAsync();
    }

    [Fact]
    public async Task A_hub_started_before_the_broker_connects_when_it_comes_up()
    {
        await _broker.StopAsync();
        var output = _temp.File("out.log");
        var config = _temp.Write("hub.ini", HubConfigFiles.FileRoute(_broker, "e2e-early", output));
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        await hub.WaitForLineAsync("Cannot connect to MQTT broker", Wait);
        await _broker.StartAsync();
        await hub.WaitForLineAsync("Subscribed", Wait);
        await MosquittoClients.PublishAsync(_broker, "test/late", "finally");
        Assert.Equal("finally\n", await FileWait.LinesAsync(output, 1, Wait));
    }

    [Fact]
    public async Task Qos_1_messages_published_while_the_hub_reconnects_arrive_after_a_broker_restart()
    {
        var output = _temp.File("out.log");
        await using var hub = await StartHubAsync(HubConfigFiles.FileRoute(_broker, "e2e-restart", output, qos: 1));
        await MosquittoClients.PublishAsync(_broker, "test/r", "before", qos: 1);
        await FileWait.LinesAsync(output, 1, Wait);

        await _broker.RestartAsync();
        // The hub is in its reconnect backoff: the broker holds these for its persistent session.
        for (var i = 0; i < 5; i++)
        {
            await MosquittoClients.PublishAsync(_broker, "test/r", $"during{i}", qos: 1);
        }

        var content = await FileWait.LinesAsync(output, 6, Wait);
        Assert.Equal("before\nduring0\nduring1\nduring2\nduring3\nduring4\n", content);
        Assert.Contains("Broker connection lost", hub.Output);
    }

    [Fact]
    public async Task A_slow_target_does_not_delay_a_fast_one_end_to_end()
    {
        var fast = _temp.File("fast.log");
        var fifo = _temp.File("slow.fifo");
        Assert.Equal(0, (await ProcessRunner.RunAsync("mkfifo", [fifo], Wait)).ExitCode);
        // Nobody reads the FIFO, so the slow file target blocks on open until the test ends.
        var ini = $$"""
            {{HubConfigFiles.Defaults(_broker, "e2e-slow", "launch = file\nplugin_timeout = 60")}}

            [config:file]
            append_newline = True
            targets = { 'fast': ['{{fast}}'], 'slow': ['{{fifo}}'] }

            [test/#]
            targets = file:slow, file:fast
            """;
        await using var hub = await StartHubAsync(ini);
        for (var i = 0; i < 3; i++)
        {
            await MosquittoClients.PublishAsync(_broker, "test/s", $"m{i}");
        }

        Assert.Equal("m0\nm1\nm2\n", await FileWait.LinesAsync(fast, 3, Wait));
    }

    [Fact]
    public async Task Status_topics_are_published_retained_after_connect()
    {
        var ini = HubConfigFiles.FileRoute(_broker, "e2e-status", _temp.File("out.log"), extraDefaults: "status_publish = True\nstatus_topic = hubtest/$SYS");
        await using var hub = await StartHubAsync(ini);
        await hub.WaitForLineAsync("Publishing status information to hubtest/$SYS", Wait);
        // Retained: a subscriber that comes later still gets them.
        await using var status = await MosquittoClients.SubscribeAsync(_broker, "hubtest/$SYS/#");
        var lines = new List<string> { await status.ReadAsync(Wait), await status.ReadAsync(Wait), await status.ReadAsync(Wait) };
        Assert.Contains("hubtest/$SYS/version 0.1.0", lines);
        Assert.Contains("hubtest/$SYS/platform linux", lines);
        Assert.Contains(lines, l => l.StartsWith("hubtest/$SYS/runtime/version 10.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_log_goes_to_logfile_one_line_per_record_in_the_python_format()
    {
        var logfile = _temp.File("hub.log");
        var ini = HubConfigFiles.FileRoute(_broker, "e2e-logfile", _temp.File("out.log"), extraDefaults: $"logfile = {logfile}")
            .Replace("targets = file:out", "targets = file:out, log:info");
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", _temp.Write("hub.ini", ini));
        await FileWait.UntilAsync(logfile, c => c.Contains("Subscribed"), Wait);
        await MosquittoClients.PublishAsync(_broker, "test/log", "two\\nlines");
        var content = await FileWait.UntilAsync(logfile, c => c.Contains("[hub.plugin.log"), Wait);
        var line = content.Split('\n').Single(l => l.Contains("[hub.plugin.log"));
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO     \[hub\.plugin\.log {12}\] two\\nlines$", line);
    }
}
