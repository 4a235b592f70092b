using Hub.Tests.EndToEnd;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>
/// Targets down for a while and back, under the real hub: the SMTP server stopped and started again on
/// the same port, an HTTP API answering 503 to its first 20 requests. With retries generous enough
/// (<c>retries</c>, <c>retry_max_age</c>), every message arrives, in order per topic.
/// </summary>
public sealed class TargetOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int PerTopic = 100;
    private const int Failures = 20;
    private const string ClientId = "fault-outage";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _temp = new();
    private HubProcess? _hub;
    private MosquittoBroker _broker = null!;
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { ExtraConfig = "max_queued_messages 0" });
        _api = await FakeHttpApi.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_hub is not null)
        {
            output.WriteLine("--- the hub's last lines ---\n" + FaultConfig.Tail(_hub));
        }

        await _api.DisposeAsync();
        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task An_smtp_server_stopped_and_restarted_and_an_api_answering_503_for_a_while_get_everything_in_order_per_topic()
    {
        var failing = Enumerable.Repeat(FakeHttpResponse.Text("maintenance", 503), Failures);
        _api.On("POST", "/ingest", [.. failing, FakeHttpResponse.Text("ok")]);
        var first = await SmtpServer.StartAsync();
        var port = first.Port;
        SmtpServer? second = null;
        var firstStopped = false;
        try
        {
            var config = _temp.Write("hub.ini", $$"""
                {{FaultConfig.Defaults(_broker, ClientId, "launch = smtp, http\ncleansession = False")}}

                [config:smtp]
                server = '{{first.Server}}'
                sender = 'hub@example.org'
                retries = 1000
                retry_backoff = 50ms
                retry_max_backoff = 500ms
                retry_max_age = 10m
                targets = { 'ops': ['ops@example.org'] }

                [config:http]
                retries = 1000
                retry_backoff = 50ms
                retry_max_backoff = 200ms
                retry_max_age = 10m
                targets = { 'api': ['post', '{{_api.BaseUrl}}/ingest', None] }

                [outage/+]
                targets = smtp:ops, http:api
                qos = 1
                title = {payload}
                format = {topic} {payload}
                """);
            await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
            _hub = hub;
            await _broker.WaitForLogAsync("Sending SUBACK to " + ClientId, Wait);

            // Two topics, interleaved. The SMTP server goes away once it has the first 20 mails (nothing else is in
            // flight then: only 20 were published), and comes back on the same port once the hub retries.
            await NumberedStream.PublishAsync(_broker, "fault-outage-publisher", 0, 20, Topic, Wait);
            await Condition.UntilAsync(() => first.Messages.Count >= 20, Wait, "20 mails before the outage");
            var beforeOutage = first.Messages.Select(m => m.Subject).ToList();
            await first.DisposeAsync();
            firstStopped = true;
            await NumberedStream.PublishAsync(_broker, "fault-outage-publisher", 20, 2 * PerTopic - 20, Topic, Wait);
            await hub.WaitForLineAsync("Retrying smtp:ops", Wait);
            second = await SmtpServer.StartOnPortAsync(port);

            var expected = NumberedStream.Ids(0, 2 * PerTopic);
            await Condition.UntilAsync(() => beforeOutage.Concat(second.Messages.Select(m => m.Subject)).Distinct().Count() >= expected.Count, Wait, "every mail after the outage");

            // Answers go in order: the first requests got the 503s, every later one a 200.
            await _api.WaitForRequestsAsync(Failures + expected.Count, Wait);
            var mails = beforeOutage.Concat(second.Messages.Select(m => m.Subject)).ToList();
            var posts = _api.Requests.Skip(Failures).Select(r => r.BodyText.Split(' ')[1]).ToList();
            var smtpFigures = FaultFigures.Count("SMTP server down, then back", "smtp", expected, mails, "stopped after 20 mails, restarted on the same port");
            var httpFigures = FaultFigures.Count("HTTP API 503 x20, then 200", "http", expected, posts, "retries = 1000, retry_max_age = 10m");
            smtpFigures.Report(output);
            httpFigures.Report(output);
            Assert.Equal(0, smtpFigures.Lost);
            Assert.Equal(0, httpFigures.Lost);
            AssertOrderedPerTopic(mails);
            AssertOrderedPerTopic(posts);
        }
        finally
        {
            if (!firstStopped)
            {
                await first.DisposeAsync();
            }

            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }

    private static string Topic(int n) => n % 2 == 0 ? "outage/even" : "outage/odd";

    /// <summary>Per topic the ids never go back (a retried message may repeat right after itself).</summary>
    private static void AssertOrderedPerTopic(IReadOnlyList<string> ids)
    {
        foreach (var topic in ids.GroupBy(id => int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture) % 2))
        {
            var sequence = topic.ToList();
            for (var i = 1; i < sequence.Count; i++)
            {
                Assert.True(string.CompareOrdinal(sequence[i - 1], sequence[i]) <= 0, $"out of order: {sequence[i - 1]} before {sequence[i]} in {string.Join(' ', sequence)}");
            }
        }
    }
}
