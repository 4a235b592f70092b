using Hub.Config.Values;
namespace Hub.Delivery;

/// <summary>
/// <c>rate = 20/min</c>: at most <see cref="Count"/> deliveries per <see cref="Per"/> for one target, as a
/// token bucket (a burst of up to <see cref="Count"/>, then one every <c>Per / Count</c>). Excess items
/// wait in the target's queue; nothing is dropped.
/// </summary>
public sealed record RateLimit(int Count, TimeSpan Per)
{
    /// <summary>Parses <c>N/UNIT</c> or <c>N/DURATION</c>: <c>20/min</c>, <c>5/s</c>, <c>100/hour</c>, <c>1/10s</c>.</summary>
    public static bool TryParse(string? text, out RateLimit? rate)
    {
        rate = null;
        var parts = text?.Trim().Trim('\'', '"').Split('/', StringSplitOptions.TrimEntries);
        if (parts is not { Length: 2 } || !int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            return false;
        }

        var per = parts[1].ToLowerInvariant() switch
        {
            "s" or "sec" or "second" => "1s",
            "m" or "min" or "minute" => "1m",
            "h" or "hour" => "1h",
            "d" or "day" => "1d",
            var other => other,
        };
        if (!Durations.TryParse(per, out var window) || window <= TimeSpan.Zero)
        {
            return false;
        }

        rate = new RateLimit(count, window);
        return true;
    }

    public override string ToString() => $"{Count}/{Durations.Format(Per).Replace(" ", "", StringComparison.Ordinal)}";
}

/// <summary>
/// The running token bucket of one target's <see cref="RateLimit"/>; used by the target's single worker. Our own, not
/// System.Threading.RateLimiting's <c>TokenBucketRateLimiter</c>: that one reads <c>Stopwatch</c> (no
/// <see cref="TimeProvider"/>, dotnet/runtime#106447), so no test could run it on a fake clock, and it refills in
/// whole periods, so after a quiet spell two deliveries of <c>rate = 1/s</c> could go almost back to back.
/// </summary>
public sealed class RateLimiter(RateLimit limit, TimeProvider time)
{
    private readonly double _perToken = limit.Per.TotalSeconds / limit.Count;
    private double _tokens = limit.Count;
    private DateTimeOffset _last = time.GetUtcNow();

    /// <summary>Takes a token: zero when one is available now, else how long to wait for it (the token is then taken).</summary>
    public TimeSpan Take()
    {
        var now = time.GetUtcNow();
        _tokens = Math.Min(limit.Count, _tokens + (now - _last).TotalSeconds / _perToken);
        _last = now;
        _tokens -= 1;
        // To the nearest tick: floating-point residue must not grant a token a hair early.
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)Math.Round(-_tokens * _perToken * TimeSpan.TicksPerSecond));
    }
}
