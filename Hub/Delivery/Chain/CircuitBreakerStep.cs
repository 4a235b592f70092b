using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace Hub.Delivery.Chain;

/// <summary>
/// <c>breaker_failure_ratio</c> and friends: a Polly circuit breaker per target. When at least
/// <see cref="BreakerOptions.FailureRatio"/> of the attempts within <see cref="BreakerOptions.Sampling"/> failed (and
/// there were at least <see cref="BreakerOptions.MinimumThroughput"/>), the circuit opens for
/// <see cref="BreakerOptions.BreakDuration"/>: attempts then fail at once without calling the plugin, with the rest
/// of the break as their Retry-After, so the retry step waits it out; after the break one trial attempt decides.
/// </summary>
internal sealed class CircuitBreakerStep : IDeliveryStep
{
    private readonly IDeliveryStep _inner;
    private readonly ResiliencePipeline<DeliveryAttempt> _breaker;

    public CircuitBreakerStep(IDeliveryStep inner, BreakerOptions options, string target, TimeProvider time, ILogger logger)
    {
        _inner = inner;
        _breaker = new ResiliencePipelineBuilder<DeliveryAttempt> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<DeliveryAttempt>
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.Sampling,
                BreakDuration = options.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Result: not DeliveryResult.Sent } failed
                    && DeliveryPolicy.IsTransient(failed.Failure)),
                OnOpened = args =>
                {
                    logger.LogWarning("Circuit of {Target} opens for {Break}: too many failed attempts; attempts wait until it closes", target, Config.Values.Durations.Format(args.BreakDuration));
                    return default;
                },
                OnClosed = _ =>
                {
                    logger.LogInformation("Circuit of {Target} closes again", target);
                    return default;
                },
            })
            .Build();
    }

    public async ValueTask<DeliveryAttempt> SendAsync(DeliveryCall call)
    {
        try
        {
            return await _breaker.ExecuteAsync(static (state, _) => state.Inner.SendAsync(state.Call), (Inner: _inner, Call: call), call.Stopping).ConfigureAwait(false);
        }
        catch (BrokenCircuitException open)
        {
            return new DeliveryAttempt(DeliveryResult.Threw, open);
        }
    }
}
