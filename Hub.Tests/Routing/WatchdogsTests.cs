using System.Threading.Channels;
using Hub.Config;
using Hub.Pipeline;
using Hub.Tests.Support;

namespace Hub.Tests.Routing;

public sealed class WatchdogsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly Channel<string> _sent = Channel.CreateUnbounded<string>();
    private readonly CollectingLogger _log = new();

    private (Watchdogs Watchdogs, MessageRouter Router) Create(bool notifyOnlyOnTimeout)
    {
        var section = new TopicSection
        {
            Name = "heartbeat",
            Topic = "plant/+/alive",
            Targets = TestConfig.Targets("log:warn"),
            Timeout = 60,
            NotifyOnlyOnTimeout = notifyOnlyOnTimeout,
            Location = new SourceLocation("test.ini", 1),
        };
        var builder = new TestConfig().Service("log", ("warn", Some.List("warn")));
        var config = builder.Build();
        config = new HubConfig { FilePath = config.FilePath, Defaults = config.Defaults, Services = config.Services, Sections = [section] };
        var router = new MessageRouter(config, _log, _time);
        var watchdogs = new Watchdogs(config, router, outcome =>
        {
            foreach (var item in outcome.Items)
            {
                _sent.Writer.TryWrite(item.Item.Message);
            }

            return ValueTask.CompletedTask;
        }, _time, _log);
        return (watchdogs, router);
    }

    private async Task<string> NextAsync()
    {
        using var cts = new CancellationTokenSource(Wait);
        return await _sent.Reader.ReadAsync(cts.Token);
    }

    [Fact]
    public async Task Silence_for_the_timeout_sends_a_timeout_notice_and_repeats_every_period()
    {
        var (watchdogs, _) = Create(notifyOnlyOnTimeout: false);
        watchdogs.Start();
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(_sent.Reader.TryRead(out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("Timeout for topic plant/+/alive after 60", await NextAsync());
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal("Timeout for topic plant/+/alive after 60", await NextAsync());
    }

    [Fact]
    public async Task A_matching_message_restarts_the_countdown()
    {
        var (watchdogs, _) = Create(notifyOnlyOnTimeout: false);
        watchdogs.Start();
        _time.Advance(TimeSpan.FromSeconds(50));
        await watchdogs.OnMessageAsync("plant/7/alive");
        _time.Advance(TimeSpan.FromSeconds(50));
        Assert.False(_sent.Reader.TryRead(out _));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("Timeout for topic plant/+/alive after 60", await NextAsync());
    }

    [Fact]
    public async Task Notify_only_on_timeout_announces_the_first_message_after_a_timeout_and_skips_normal_messages()
    {
        var (watchdogs, router) = Create(notifyOnlyOnTimeout: true);
        watchdogs.Start();
        await watchdogs.OnMessageAsync("plant/7/alive"); // the start state counts as timed out
        Assert.Equal("Message received for topic plant/+/alive within 60", await NextAsync());
        await watchdogs.OnMessageAsync("plant/7/alive");
        Assert.False(_sent.Reader.TryRead(out _));
        Assert.Empty(router.Route("plant/7/alive", "x"u8.ToArray(), false));
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal("Timeout for topic plant/+/alive after 60", await NextAsync());
        await watchdogs.OnMessageAsync("plant/7/alive");
        Assert.Equal("Message received for topic plant/+/alive within 60", await NextAsync());
    }

    [Fact]
    public void A_stopped_watchdog_stays_silent()
    {
        var (watchdogs, _) = Create(notifyOnlyOnTimeout: false);
        watchdogs.Start();
        watchdogs.Stop();
        _time.Advance(TimeSpan.FromSeconds(600));
        Assert.False(_sent.Reader.TryRead(out _));
    }
}
