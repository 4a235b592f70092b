namespace Hub.Delivery.Chain;

/// <summary>A target's circuit breaker (off unless <c>breaker_failure_ratio</c> is set); see <see cref="CircuitBreakerStep"/>.</summary>
public sealed record BreakerOptions
{
    /// <summary><c>breaker_failure_ratio</c>: the share of failed attempts (0 to 1) that opens the circuit.</summary>
    public double FailureRatio { get; init; } = 0.5;

    /// <summary><c>breaker_min_attempts</c>: fewer attempts than this within the sampling window never open it (default 10).</summary>
    public int MinimumThroughput { get; init; } = 10;

    /// <summary><c>breaker_sampling</c>: the window the ratio is measured over (default 30 s).</summary>
    public TimeSpan Sampling { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>breaker_break</c>: how long the circuit stays open before a trial attempt (default 30 s).</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);
}
