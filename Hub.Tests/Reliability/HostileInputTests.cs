using System.Text;
using System.Web;
using Hub.Mqtt;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>
/// Hostile input through the real hub, end to end: payloads no parser should trust (invalid JSON, JSON
/// nested 10,000 deep, invalid UTF-8, 0 bytes, 10 MB, every byte value), topics with spaces, unicode,
/// <c>%</c> and braces, and payload fields that try to break out of the protocol of a target they are
/// formatted into: a mail header (a real SMTP server checks what arrived), a URL query parameter, a
/// program argument, a log line. The hub delivers or refuses each, logs a refusal once with its reason,
/// and keeps running. (Unit tests of the same checks per component live beside each component.)
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ClientId = "hostile";
    private const string Forged = "2026-11-22 10:00:00,000 CRITICAL [hub.forged] forged line";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();
    private HubProcess? _hub;
    private MosquittoBroker _broker = null!;
    private SmtpServer _smtp = null!;
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _smtp = await SmtpServer.StartAsync();
        _api = await FakeHttpApi.StartAsync();
        _api.On("GET", "/q", FakeHttpResponse.Text("ok"));
    }

    public async Task DisposeAsync()
    {
        if (_hub is not null)
        {
            output.WriteLine("--- the hub's last lines ---\n" + FaultConfig.Tail(_hub));
        }

        await _api.DisposeAsync();
        await _smtp.DisposeAsync();
        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    private string Config() => $$"""
        {{FaultConfig.Defaults(_broker, ClientId, "launch = file, smtp, http, execute, log")}}

        [config:file]
        append_newline = True
        targets = { 'raw': ['{{_temp.File("raw.log")}}'], 'topics': ['{{_temp.File("topics.log")}}'] }

        [config:smtp]
        server = '{{_smtp.Server}}'
        sender = 'hub@example.org'
        targets = { 'ops': ['ops@example.org'] }

        [config:http]
        targets = { 'get': ['get', '{{_api.BaseUrl}}/q', {'v': '{value}', 'n': '1'}] }

        [config:execute]
        text_replace = '[TEXT]'
        targets = { 'rec': ['/bin/sh', '{{ProtoScripts.RecordArguments(_temp)}}', '{{_temp.File("argv")}}', '[TEXT]'] }

        [config:log]
        targets = { 'info': ['info'] }

        [hostile/payload]
        targets = file:raw
        qos = 1

        [hostile/topic/#]
        targets = file:topics
        format = <{topic}|{payload}>
        qos = 1

        [hostile/inject]
        targets = smtp:ops, http:get, execute:rec, log:info
        title = {subject}
        format = {value}
        qos = 1
        """;

    [Fact]
    public async Task Hostile_payloads_topics_and_injection_attempts_are_delivered_harmlessly_or_refused_with_a_reason_and_the_hub_keeps_running()
    {
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", _temp.Write("hub.ini", Config()));
        _hub = hub;
        await _broker.WaitForLogAsync("Sending SUBACK to " + ClientId, Wait);
        await using var client = new MqttClient(new MqttClientOptions { Host = _broker.Host, Port = _broker.Port, ClientId = "hostile-publisher" }, NullLogger.Instance);
        using var cts = new CancellationTokenSource(Wait);
        await client.ConnectOnceAsync(cts.Token);
        Task Publish(string topic, byte[] payload) => client.PublishAsync(new MqttApplicationMessage(topic, payload, 1), cts.Token).AsTask();

        var deep = new string('[', 10_000) + new string(']', 10_000);
        var big = new string('x', 10 * 1024 * 1024);
        var everyByte = Enumerable.Range(0, 256).Select(b => (byte)b).Where(b => b != '\n').ToArray();
        await Publish("hostile/payload", "{\"a\": [1, 2"u8.ToArray());
        await Publish("hostile/payload", Encoding.UTF8.GetBytes(deep));
        await Publish("hostile/payload", [(byte)'f', (byte)'o', 0xFF, 0xFE, (byte)'o']);
        await Publish("hostile/payload", []);
        await Publish("hostile/payload", Encoding.UTF8.GetBytes(big));
        await Publish("hostile/payload", everyByte);
        await Publish("hostile/payload", "END"u8.ToArray());

        string[] topics = ["hostile/topic/with space", "hostile/topic/ünïcödé ✓", "hostile/topic/100%25%", "hostile/topic/{payload}{0}{"];
        foreach (var topic in topics)
        {
            await Publish(topic, "t"u8.ToArray());
        }

        var injection = """{"subject": "Alert\r\nBcc: evil@example.org\r\n\r\nforged body", "value": "a&x=1 b#c;touch PWNED $(id)\n""" + Forged + "\"}";
        await Publish("hostile/inject", Encoding.UTF8.GetBytes(injection.Replace("PWNED", _temp.File("pwned"), StringComparison.Ordinal)));

        // Payloads: each arrives as text (the invalid bytes as U+FFFD), the empty one is refused.
        var raw = await FileWait.UntilAsync(_temp.File("raw.log"), text => text.EndsWith("END\n", StringComparison.Ordinal), Wait);
        var expectedRaw = "{\"a\": [1, 2\n" + deep + "\nfo\uFFFD\uFFFDo\n" + big + "\n" + Encoding.UTF8.GetString(everyByte) + "\nEND\n";
        Assert.True(expectedRaw == raw, $"the payloads file differs: {raw.Length} characters instead of {expectedRaw.Length}");
        // The hub's log lines can reach us after the file line (a lone message is written on the receiving thread,
        // the log goes through the logger's queue): wait for them, then count them.
        const string Suppressed = "Notification suppressed. Reason: Payload is empty. service=file, topic=hostile/payload";
        const string Replaced = "Payload on hostile/payload is not valid UTF-8; invalid bytes replaced by U+FFFD";
        await Condition.UntilAsync(() => hub.Lines.Count(l => l.Contains(Replaced, StringComparison.Ordinal)) >= 2 && hub.Lines.Any(l => l.Contains(Suppressed, StringComparison.Ordinal)), Wait, "the hub logging both");
        Assert.Single(hub.Lines, l => l.Contains(Suppressed, StringComparison.Ordinal));
        Assert.Equal(2, hub.Lines.Count(l => l.Contains(Replaced, StringComparison.Ordinal)));

        // Topics: their characters pass through as data, braces are not a format.
        var topicLines = await FileWait.UntilAsync(_temp.File("topics.log"), text => text.Count(c => c == '>') >= topics.Length, Wait);
        Assert.Equal(string.Concat(topics.Select(t => $"<{t}|t>\n")), topicLines);

        // SMTP: the subject's CR LF does not add a header, a recipient or a body.
        await Condition.UntilAsync(() => _smtp.Messages.Count >= 1, Wait, "the mail arriving");
        var mail = Assert.Single(_smtp.Messages);
        Assert.Null(mail.Header("Bcc"));
        Assert.Equal(["ops@example.org"], mail.RcptTos);
        Assert.DoesNotContain("\r\nBcc:", mail.Raw, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("Alert", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", mail.Subject, StringComparison.Ordinal);

        // URL: the value is one encoded query parameter; '&x=1' does not become a parameter.
        var request = Assert.Single(await _api.WaitForRequestsAsync(1, Wait));
        var query = HttpUtility.ParseQueryString(request.Query);
        Assert.Equal<string>(["v", "n"], query.AllKeys.Select(k => k ?? "(none)"));
        Assert.StartsWith("a&x=1 b#c;touch ", query["v"], StringComparison.Ordinal);
        Assert.Equal("1", query["n"]);

        // Program arguments: one argument, exactly the text, no shell ran it.
        await FileWait.UntilAsync(_temp.File("argv"), _ => true, Wait);
        var (_, arguments) = ProtoScripts.ReadRecord(_temp.File("argv"));
        Assert.Equal([query["v"]!], arguments);
        Assert.False(File.Exists(_temp.File("pwned")), "a shell ran the payload");

        // Log: the line break in the payload does not forge a second record.
        await hub.WaitForLineAsync("forged line", Wait);
        Assert.DoesNotContain(hub.Lines, l => l.StartsWith("2026-11-22 10:00:00,000 CRITICAL", StringComparison.Ordinal));
        Assert.Contains(hub.Lines, l => l.Contains("\\n" + Forged, StringComparison.Ordinal));
        Assert.False(hub.HasExited, hub.Output);
        output.WriteLine(string.Join('\n', hub.Lines.Where(l => l.Length < 400)));
    }
}
