using Hub.Delivery.Chain;
using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace Hub.Delivery;

/// <summary>
/// Where a target's delivery is put together, in one place: its queue, and the chain of steps its worker sends each
/// batch down, outermost first: give-up (failover, dead letters) → retry (backoff, Retry-After, age limit) → circuit
/// breaker (when configured) → rate limit (when configured) → the plugin's sink (timeout, isolation).
/// </summary>
public static class DeliveryChainBuilder
{
    /// <summary>The queue of one target under its <paramref name="policy"/>; the host then sets its failover, dead letters and journal.</summary>
    public static TargetQueue Queue(string service, string? target, RunningSink sink, DeliveryPolicy policy, TimeProvider time, ILogger logger) =>
        new(service, target, sink, policy.MaxQueue, policy, time, logger) { Inline = policy.Inline && sink.Sink is IInlineSink };

    /// <summary>The chain of <paramref name="queue"/>: its outermost step.</summary>
    internal static GiveUpStep Build(TargetQueue queue, RunningSink sink, Func<double> jitter)
    {
        var policy = queue.Policy;
        IDeliveryStep step = new SinkStep(sink, queue.Counters);
        if (policy.Rate is { } limit)
        {
            step = new RateLimitStep(step, limit, queue.Time, queue.Counters);
        }

        if (policy.Breaker is { } breaker)
        {
            step = new CircuitBreakerStep(step, breaker, queue.DisplayName, queue.Time, queue.Logger);
        }

        step = new RetryStep(step, policy, queue.DisplayName, queue.Time, jitter, queue.Health, queue.Counters, queue.Logger);
        return new GiveUpStep(step, queue.Service, queue.Target, queue.Health, queue.Counters, queue.Done, queue.Logger);
    }
}
