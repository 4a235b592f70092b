using System.Net;
using System.Net.Sockets;
using Hub.Config.Values;
using Hub.Delivery;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Delivery;

/// <summary>The delivery policy's parts: durations, rates, backoff delays, failure classes, and reading them from the INI file.</summary>
public sealed class DeliveryPolicyTests
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("1.5", 1.5)]
    [InlineData("500ms", 0.5)]
    [InlineData("30s", 30)]
    [InlineData("10m", 600)]
    [InlineData("10 min", 600)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("'10m'", 600)]
    public void Durations_read_seconds_and_units(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ten minutes")]
    [InlineData("-5s")]
    [InlineData("5 fortnights")]
    [InlineData("1e300")]
    public void Durations_refuse_what_is_not_one(string text) => Assert.False(Durations.TryParse(text, out _));

    [Theory]
    [InlineData("20/min", 20, 60)]
    [InlineData("5/s", 5, 1)]
    [InlineData("100/hour", 100, 3600)]
    [InlineData("1/10s", 1, 10)]
    [InlineData("3 / 2m", 3, 120)]
    public void Rates_read_count_per_period(string text, int count, double seconds)
    {
        Assert.True(RateLimit.TryParse(text, out var rate));
        Assert.Equal(new RateLimit(count, TimeSpan.FromSeconds(seconds)), rate);
    }

    [Theory]
    [InlineData("20")]
    [InlineData("0/min")]
    [InlineData("x/min")]
    [InlineData("5/fortnight")]
    public void Rates_refuse_what_is_not_one(string text) => Assert.False(RateLimit.TryParse(text, out _));

    [Fact]
    public void The_bucket_lets_a_burst_through_then_spaces_the_rest()
    {
        var time = new FakeTimeProvider();
        var limiter = new RateLimiter(new RateLimit(3, TimeSpan.FromMinutes(1)), time);
        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero], new[] { limiter.Take(), limiter.Take(), limiter.Take() });
        Assert.Equal(TimeSpan.FromSeconds(20), limiter.Take());
        Assert.Equal(TimeSpan.FromSeconds(40), limiter.Take());
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(TimeSpan.Zero, limiter.Take());
    }

    [Fact]
    public void Backoff_doubles_up_to_the_cap_and_the_jitter_takes_at_most_half()
    {
        var policy = new DeliveryPolicy { Backoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(10) };
        Assert.Equal(
            [1, 2, 4, 8, 10, 10],
            Enumerable.Range(1, 6).Select(retry => policy.Delay(retry, null, random: 1).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.Delay(3, null, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(3), policy.Delay(3, null, random: 0.5));
    }

    [Fact]
    public void Retry_after_wins_when_longer_than_the_backoff()
    {
        var policy = new DeliveryPolicy { Backoff = TimeSpan.FromSeconds(1) };
        Assert.Equal(TimeSpan.FromSeconds(30), policy.Delay(1, TimeSpan.FromSeconds(30), random: 1));
        Assert.Equal(TimeSpan.FromSeconds(4), policy.Delay(3, TimeSpan.FromMilliseconds(10), random: 1));
    }

    public static TheoryData<Exception?, bool> Failures() => new()
    {
        { null, true },
        { new TransientDeliveryException("HTTP 503"), true },
        { new HttpRequestException("connection refused"), true },
        { new SocketException((int)SocketError.ConnectionRefused), true },
        { new IOException("broken pipe"), true },
        { new TimeoutException(), true },
        { new InvalidOperationException("a plugin's own error"), true },
        { new PermanentDeliveryException("HTTP 400", (int)HttpStatusCode.BadRequest), false },
        { new ArgumentException("bad descriptor"), false },
        { new FormatException("bad template"), false },
        { new AggregateException(new PermanentDeliveryException("HTTP 404")), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Failures_are_transient_unless_they_say_the_item_itself_is_wrong(Exception? failure, bool transient) =>
        Assert.Equal(transient, DeliveryPolicy.IsTransient(failure));

    [Fact]
    public void A_targets_own_key_wins_over_the_services_which_wins_over_defaults()
    {
        var config = ConfigTestLoader.LoadValid("""
            [defaults]
            launch = log, file
            retries = 2
            retry_backoff = 5s

            [config:log]
            retry_max_age = 2h
            rate = 20/min
            rate.crit = 1/s
            dedup = 10m
            failover = file:out, log:info
            failover.crit = file:out
            max_queue.crit = 100
            max_journal_bytes.crit = 64MB
            durable = yes
            targets = { 'info': ['info'], 'crit': ['crit'] }

            [config:file]
            targets = { 'out': ['/tmp/x'] }
            """);
        var service = config.FindService("log")!;
        var info = DeliveryPolicy.For(service, "info", config.Defaults);
        var crit = DeliveryPolicy.For(service, "crit", config.Defaults);

        Assert.Equal((2, TimeSpan.FromSeconds(5), TimeSpan.FromHours(2), TimeSpan.FromMinutes(5)), (info.Retries, info.Backoff, info.MaxAge, info.MaxBackoff));
        Assert.Equal(new RateLimit(20, TimeSpan.FromMinutes(1)), info.Rate);
        Assert.Equal(new RateLimit(1, TimeSpan.FromSeconds(1)), crit.Rate);
        Assert.Equal(TimeSpan.FromMinutes(10), crit.Dedup);
        Assert.Equal(["file:out", "log:info"], info.Failover);
        Assert.Equal(["file:out"], crit.Failover);
        Assert.Equal((10_000, 100), (info.MaxQueue, crit.MaxQueue));
        Assert.True(info.Durable && crit.Durable);
        Assert.Equal((256L << 20, 64L << 20), (info.MaxJournalBytes, crit.MaxJournalBytes));
        Assert.Equal(5, DeliveryPolicy.For(config.FindService("file")!, "out", new Hub.Config.DefaultsOptions()).Retries);
    }

    [Fact]
    public void Bad_policy_values_are_errors_at_their_own_line()
    {
        var config = ConfigTestLoader.LoadValid("""
            [defaults]
            launch = log

            [config:log]
            retries = many
            rate = 20 per minute
            dedup = soon
            rate.nosuch = 1/s
            failover = a:b:c
            max_queue = 0
            max_journal_bytes = lots
            targets = { 'info': ['info'] }
            """);
        var problems = DeliveryPolicy.Check(config.FindService("log")!).Select(d => $"{d.Location.Line}: {d.Message}").ToList();

        Assert.Equal(7, problems.Count);
        Assert.StartsWith("11: [config:log]: max_journal_bytes must be a size in bytes such as 1048576, 512KB, 64MB or 1GB", problems[6]);
        Assert.StartsWith("10: [config:log]: max_queue must be a whole number of items, at least 1", problems[5]);
        Assert.StartsWith("5: [config:log]: retries must be a whole number", problems[0]);
        Assert.StartsWith("6: [config:log]: rate must be COUNT/PERIOD", problems[1]);
        Assert.StartsWith("7: [config:log]: dedup must be a duration", problems[2]);
        Assert.StartsWith("8: [config:log]: 'rate.nosuch' names target 'nosuch'", problems[3]);
        Assert.StartsWith("9: [config:log]: failover must list SERVICE or SERVICE:TARGET", problems[4]);
    }
}
