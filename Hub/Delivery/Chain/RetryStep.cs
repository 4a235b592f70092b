using Hub.Config.Values;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Hub.Delivery.Chain;

/// <summary>
/// Retries a transient failure (Polly's retry strategy, waiting on the target's clock) with the policy's backoff:
/// <c>retry_backoff × 2^(n−1)</c> capped at <c>retry_max_backoff</c>, the upper half random, never shorter than the
/// destination's Retry-After. It stops at a permanent failure, after <c>retries</c>, when the next attempt would come
/// later than <c>retry_max_age</c> after the item was queued, or when the target drains (after one last attempt, made
/// at once instead of waiting). The item keeps its place meanwhile: later items wait, so order holds. What it gives up
/// on comes back as a failed attempt whose <see cref="DeliveryAttempt.GaveUp"/> says why.
/// </summary>
internal sealed class RetryStep : IDeliveryStep
{
    private static readonly ResiliencePropertyKey<Decision> DecisionKey = new("hub.retry");
    private readonly IDeliveryStep _inner;
    private readonly DeliveryPolicy _policy;
    private readonly TimeProvider _time;
    private readonly Func<double> _jitter;
    private readonly TargetHealth _health;
    private readonly ResiliencePipeline<DeliveryAttempt> _retry;

    public RetryStep(IDeliveryStep inner, DeliveryPolicy policy, string target, TimeProvider time, Func<double> jitter, TargetHealth health, TargetCounters counters, ILogger logger)
    {
        _inner = inner;
        _policy = policy;
        _time = time;
        _jitter = jitter;
        _health = health;
        _retry = new ResiliencePipelineBuilder<DeliveryAttempt> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<DeliveryAttempt>
            {
                MaxRetryAttempts = int.MaxValue, // the decision below stops it, with a reason
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Result: not DeliveryResult.Sent } failed
                    && args.Context.Properties.GetValue(DecisionKey, null!).Decide(failed, args.AttemptNumber + 1)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Context.Properties.GetValue(DecisionKey, null!).Delay),
                OnRetry = args =>
                {
                    var decision = args.Context.Properties.GetValue(DecisionKey, null!);
                    counters.OnRetried(decision.Call.Batch.Count);
                    _health.OnRetrying();
                    logger.LogInformation("Retrying {Target} in {Delay} (retry {Retry} of {Retries}). topic={Topic}",
                        target, Durations.Format(args.RetryDelay), args.AttemptNumber + 1, _policy.Retries, decision.Call.First.Topic);
                    return default;
                },
            })
            .Build();
    }

    public async ValueTask<DeliveryAttempt> SendAsync(DeliveryCall call)
    {
        var decision = new Decision(this, call);
        if (call.Draining.IsCancellationRequested)
        {
            return decision.Last(await _inner.SendAsync(call).ConfigureAwait(false), 1);
        }

        // Draining cuts a wait for a retry short (Polly then stops with a cancellation): one last attempt follows at once.
        using var waits = CancellationTokenSource.CreateLinkedTokenSource(call.Stopping, call.Draining);
        var context = ResilienceContextPool.Shared.Get(waits.Token);
        context.Properties.Set(DecisionKey, decision);
        try
        {
            var result = await _retry.ExecuteAsync(static (_, d) => d.Step._inner.SendAsync(d.Call), context, decision).ConfigureAwait(false);
            return decision.Verdict(result);
        }
        catch (OperationCanceledException) when (!call.Stopping.IsCancellationRequested)
        {
            return decision.Last(await _inner.SendAsync(call).ConfigureAwait(false), decision.Attempts + 1);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>One call's retry decisions: whether to try again, after how long, and if not, why.</summary>
    private sealed class Decision(RetryStep step, DeliveryCall call)
    {
        public RetryStep Step { get; } = step;
        public DeliveryCall Call { get; } = call;
        public TimeSpan Delay { get; private set; }
        public string? Stop { get; private set; }
        public int Attempts { get; private set; }

        /// <summary>True to retry <paramref name="failed"/> (attempt number <paramref name="attempt"/>); else <see cref="Stop"/> says why not.</summary>
        public bool Decide(DeliveryAttempt failed, int attempt)
        {
            Attempts = attempt;
            if (failed.Result == DeliveryResult.Abandoned)
            {
                Stop = "the plugin blocked past its timeout"; // counted as a timeout already, and the queue has a new worker
                return false;
            }

            var policy = Step._policy;
            Step._health.OnFailedAttempt();
            Delay = policy.Delay(attempt, DeliveryPolicy.RetryAfterOf(failed.Failure), Step._jitter());
            Stop = !DeliveryPolicy.IsTransient(failed.Failure) ? "a permanent failure"
                : attempt > policy.Retries ? $"{policy.Retries} retries exhausted"
                : Step._time.GetUtcNow() + Delay > Call.Batch[0].Accepted + policy.MaxAge ? $"older than retry_max_age ({Durations.Format(policy.MaxAge)}) by the next retry"
                : Call.Draining.IsCancellationRequested ? "the hub is stopping" : null;
            return Stop is null;
        }

        /// <summary>The outcome of an attempt after which no retry may come (the target drains).</summary>
        public DeliveryAttempt Last(DeliveryAttempt result, int attempt)
        {
            if (result.Result != DeliveryResult.Sent && Decide(result, attempt))
            {
                Stop = "the hub is stopping";
            }

            return Verdict(result);
        }

        /// <summary>The final outcome, with the reason for giving up when it failed.</summary>
        public DeliveryAttempt Verdict(DeliveryAttempt result) => result.Result switch
        {
            DeliveryResult.Sent => result,
            DeliveryResult.Abandoned => result with { GaveUp = Stop },
            _ => result with { GaveUp = $"{Stop}: {result.Reason}" },
        };
    }
}
