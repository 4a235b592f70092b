using System.Net.Http;
using System.Net.Sockets;
using Hub.Config;
using Hub.Config.Values;
using Hub.Plugins;

namespace Hub.Delivery;

/// <summary>
/// What the host does when a target's delivery fails, and how fast it may deliver: retries with
/// exponential backoff and jitter (bounded by attempts and by the item's age), failover targets once
/// retries are exhausted, a rate limit and a de-duplication window. Read from hub keys of
/// <c>[config:NAME]</c> (<c>KEY.TARGET</c> overrides <c>KEY</c> for one target) with <c>[defaults]</c>
/// as the fallback for the retry keys.
/// </summary>
public sealed record DeliveryPolicy
{
    /// <summary>The hub keys of <c>[config:NAME]</c> read here (each also as <c>KEY.TARGET</c>).</summary>
    public static readonly IReadOnlyList<string> Keys = ["retries", "retry_backoff", "retry_max_backoff", "retry_max_age", "failover", "rate", "dedup", "durable", "max_queue", "max_journal_bytes", "inline",
        "when_full", "batch_size", "batch_wait", "breaker_failure_ratio", "breaker_min_attempts", "breaker_sampling", "breaker_break"];

    /// <summary>No retries, no failover, no limits: one attempt per item.</summary>
    public static DeliveryPolicy None { get; } = new() { Retries = 0 };

    /// <summary>Attempts after the first one for a transient failure.</summary>
    public int Retries { get; init; } = 5;
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>No attempt starts later than this after the item was queued.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(1);
    /// <summary><c>SERVICE[:TARGET]</c> references that take an item this target gave up on.</summary>
    public IReadOnlyList<string> Failover { get; init; } = [];
    public RateLimit? Rate { get; init; }
    public TimeSpan? Dedup { get; init; }
    /// <summary>Capacity of the target's queue (<c>max_queue</c>, else <c>[defaults] queue_size</c>).</summary>
    public int MaxQueue { get; init; } = 10_000;

    /// <summary>Bytes of undelivered items a durable target's journal may hold (<c>max_journal_bytes</c>; 0: no limit).</summary>
    public long MaxJournalBytes { get; init; }
    /// <summary>Journal accepted items on disk before they are acknowledged; a restart delivers what was not done.</summary>
    public bool Durable { get; init; }

    /// <summary>Whether an idle target may be delivered to on the receiving thread where the plugin allows it (<see cref="IInlineSink"/>): <c>inline</c>, default true.</summary>
    public bool Inline { get; init; } = true;

    /// <summary><c>when_full</c>: what a durable target does when its journal holds <c>max_journal_bytes</c> while it is failing.</summary>
    public JournalFull WhenFull { get; init; } = JournalFull.DeadLetter;

    /// <summary><c>batch_size</c>: the most items per batch for a sink with the batch ability (null: the sink's own maximum).</summary>
    public int? BatchSize { get; init; }

    /// <summary><c>batch_wait</c>: how long a batch waits for more items after its first (0, the default: it leaves with what is queued).</summary>
    public TimeSpan BatchWait { get; init; }

    /// <summary>The target's circuit breaker; null (the default) unless a <c>breaker_*</c> key is set.</summary>
    public Chain.BreakerOptions? Breaker { get; init; }

    /// <summary>
    /// The delay before retry number <paramref name="retry"/> (1-based): <c>backoff × 2^(retry−1)</c> capped at
    /// <see cref="MaxBackoff"/>, of which the upper half is random (so many targets failing together do not
    /// retry in lockstep); never shorter than what the destination asked for (Retry-After).
    /// </summary>
    public TimeSpan Delay(int retry, TimeSpan? retryAfter, double random)
    {
        var exponential = Backoff.TotalSeconds * Math.Pow(2, Math.Min(retry - 1, 30));
        var capped = Math.Min(exponential, MaxBackoff.TotalSeconds);
        var delay = TimeSpan.FromSeconds(capped / 2 + capped / 2 * Math.Clamp(random, 0, 1));
        return retryAfter is { } asked && asked > delay ? asked : delay;
    }

    /// <summary>
    /// Whether a failure may pass by itself: the plugin said so (<see cref="TransientDeliveryException"/>), the
    /// attempt timed out (null), or the network failed. <see cref="PermanentDeliveryException"/> and errors
    /// that mean the item itself is wrong (bad arguments or formats) are permanent. Anything else a plugin
    /// throws counts as transient: retrying is bounded, losing an alert is not.
    /// </summary>
    public static bool IsTransient(Exception? failure) => failure switch
    {
        null => true,
        TransientDeliveryException or HttpRequestException or IOException or SocketException or TimeoutException => true,
        PermanentDeliveryException => false,
        ArgumentException or FormatException or NotSupportedException or InvalidCastException or KeyNotFoundException => false,
        AggregateException { InnerExceptions.Count: 1 } aggregate => IsTransient(aggregate.InnerExceptions[0]),
        _ => true,
    };

    /// <summary>The Retry-After delay a transient failure carries, if any (an open circuit's rest of the break counts as one).</summary>
    public static TimeSpan? RetryAfterOf(Exception? failure) => failure switch
    {
        TransientDeliveryException transient => transient.RetryAfter,
        Polly.CircuitBreaker.BrokenCircuitException open => open.RetryAfter,
        _ => null,
    };

    /// <summary>The policy of one target: <c>KEY.TARGET</c>, else <c>KEY</c> of the service, else <c>[defaults]</c>.</summary>
    public static DeliveryPolicy For(ServiceConfig service, string? target, DefaultsOptions defaults)
    {
        string? Raw(string key)
        {
            if (target is not null && service.Options.TryGetValue($"{key}.{target}", out var own))
            {
                return Text(own);
            }

            return service.Options.TryGetValue(key, out var value) ? Text(value) : null;
        }

        return new DeliveryPolicy
        {
            Retries = Raw("retries") is { } r && int.TryParse(r, out var retries) && retries >= 0 ? retries : defaults.Retries,
            Backoff = Raw("retry_backoff") is { } b && Durations.TryParse(b, out var backoff) && backoff > TimeSpan.Zero ? backoff : defaults.RetryBackoff,
            MaxBackoff = Raw("retry_max_backoff") is { } mb && Durations.TryParse(mb, out var maxBackoff) && maxBackoff > TimeSpan.Zero ? maxBackoff : defaults.RetryMaxBackoff,
            MaxAge = Raw("retry_max_age") is { } ma && Durations.TryParse(ma, out var maxAge) && maxAge > TimeSpan.Zero ? maxAge : defaults.RetryMaxAge,
            Failover = References(Raw("failover")),
            Rate = RateLimit.TryParse(Raw("rate"), out var rate) ? rate : null,
            Dedup = Raw("dedup") is { } d && Durations.TryParse(d, out var dedup) && dedup > TimeSpan.Zero ? dedup : null,
            MaxQueue = Raw("max_queue") is { } mq && int.TryParse(mq, out var maxQueue) && maxQueue > 0 ? maxQueue : defaults.QueueSize,
            Durable = Raw("durable") is { } du && ConfigValues.TryToBool(du, out var durable) ? durable : defaults.Durable,
            Inline = Raw("inline") is not { } il || !ConfigValues.TryToBool(il, out var inline) || inline,
            MaxJournalBytes = Raw("max_journal_bytes") is { } mj && ByteSizes.TryParse(mj, out var maxJournal) && maxJournal > 0 ? maxJournal : defaults.MaxJournalBytes,
            WhenFull = Raw("when_full") is { } wf && TryWhenFull(wf, out var whenFull) ? whenFull : JournalFull.DeadLetter,
            BatchSize = Raw("batch_size") is { } bs && int.TryParse(bs, out var batchSize) && batchSize > 0 ? batchSize : null,
            BatchWait = Raw("batch_wait") is { } bw && Durations.TryParse(bw, out var batchWait) && batchWait > TimeSpan.Zero ? batchWait : TimeSpan.Zero,
            Breaker = BreakerOf(Raw),
        };
    }

    private static Chain.BreakerOptions? BreakerOf(Func<string, string?> raw)
    {
        string?[] keys = [raw("breaker_failure_ratio"), raw("breaker_min_attempts"), raw("breaker_sampling"), raw("breaker_break")];
        if (keys.All(k => k is null))
        {
            return null;
        }

        var breaker = new Chain.BreakerOptions();
        return breaker with
        {
            FailureRatio = keys[0] is { } r && TryRatio(r, out var ratio) ? ratio : breaker.FailureRatio,
            MinimumThroughput = keys[1] is { } m && int.TryParse(m, out var min) && min >= 2 ? min : breaker.MinimumThroughput,
            Sampling = keys[2] is { } s && TryBreakerDuration(s, out var sampling) ? sampling : breaker.Sampling,
            BreakDuration = keys[3] is { } b && TryBreakerDuration(b, out var pause) ? pause : breaker.BreakDuration,
        };
    }

    private static bool TryWhenFull(string text, out JournalFull whenFull)
    {
        whenFull = text.Trim('\'', '"').ToLowerInvariant() switch
        {
            "dead_letter" => JournalFull.DeadLetter,
            "block" => JournalFull.Block,
            _ => (JournalFull)(-1),
        };
        return Enum.IsDefined(whenFull);
    }

    private static bool TryRatio(string text, out double ratio) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out ratio) && ratio > 0 && ratio <= 1;

    // Polly's circuit breaker takes windows from half a second up to a day.
    private static bool TryBreakerDuration(string text, out TimeSpan duration) =>
        Durations.TryParse(text, out duration) && duration >= TimeSpan.FromMilliseconds(500) && duration <= TimeSpan.FromDays(1);

    /// <summary>Problems with the policy keys of a service, each at its own line.</summary>
    public static IEnumerable<ConfigDiagnostic> Check(ServiceConfig service)
    {
        foreach (var (key, value) in service.Options)
        {
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            var name = dot < 0 ? key : key[..dot];
            if (!Keys.Contains(name))
            {
                continue;
            }

            var location = service.LocationOf(key);
            if (dot >= 0 && service.FindTarget(key[(dot + 1)..]) is null)
            {
                yield return new ConfigDiagnostic(location, $"[config:{service.Name}]: '{key}' names target '{key[(dot + 1)..]}', which this service does not have");
                continue;
            }

            var text = Text(value) ?? "";
            var problem = name switch
            {
                "retries" => int.TryParse(text, out var n) && n >= 0 ? null : "must be a whole number of retries (0 or more)",
                "retry_backoff" or "retry_max_backoff" or "retry_max_age" or "dedup" =>
                    Durations.TryParse(text, out var t) && t > TimeSpan.Zero ? null : "must be a duration such as 30s, 10m or 2h (a plain number is seconds)",
                "rate" => RateLimit.TryParse(text, out _) ? null : "must be COUNT/PERIOD, such as 20/min, 5/s or 1/10s",
                "max_queue" => int.TryParse(text, out var q) && q > 0 ? null : "must be a whole number of items, at least 1",
                "durable" or "inline" => ConfigValues.TryToBool(text, out _) ? null : "must be a boolean (true/false)",
                "max_journal_bytes" => ByteSizes.TryParse(text, out var jb) && jb > 0 ? null : "must be a size in bytes such as 1048576, 512KB, 64MB or 1GB",
                "when_full" => TryWhenFull(text, out _) ? null : "must be dead_letter or block",
                "batch_size" => int.TryParse(text, out var bs) && bs > 0 ? null : "must be a whole number of items, at least 1",
                "batch_wait" => Durations.TryParse(text, out var bw) && bw >= TimeSpan.Zero ? null : "must be a duration such as 200ms or 2s",
                "breaker_failure_ratio" => TryRatio(text, out _) ? null : "must be a share of failed attempts above 0 and at most 1, such as 0.5",
                "breaker_min_attempts" => int.TryParse(text, out var ma) && ma >= 2 ? null : "must be a whole number of attempts, at least 2",
                "breaker_sampling" or "breaker_break" => TryBreakerDuration(text, out _) ? null : "must be a duration from 500ms to 1d, such as 30s",
                "failover" => References(text).Count > 0 && References(text).All(r => r.Split(':').Length <= 2) ? null : "must list SERVICE or SERVICE:TARGET references",
                _ => null,
            };
            if (problem is not null)
            {
                yield return new ConfigDiagnostic(location, $"[config:{service.Name}]: {key} {problem}, not '{text}'");
            }
        }
    }

    /// <summary>Whether <paramref name="key"/> is one of the policy keys (or its <c>.TARGET</c> form).</summary>
    public static bool IsPolicyKey(string key)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        return Keys.Contains(dot < 0 ? key : key[..dot]);
    }

    /// <summary>Reads <c>a:b, c</c> or a list literal into references.</summary>
    public static IReadOnlyList<string> References(object? value) => value switch
    {
        null => [],
        IEnumerable<object?> list => [.. list.Select(v => Text(v)?.Trim() ?? "").Where(v => v.Length > 0)],
        _ => [.. (Text(value) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
    };

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s.Trim(),
        IEnumerable<object?> list => string.Join(", ", list.Select(v => v?.ToString())),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}
