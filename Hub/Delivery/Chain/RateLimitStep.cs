namespace Hub.Delivery.Chain;

/// <summary>
/// <c>rate = 20/min</c>: every attempt takes a token from the target's bucket (<see cref="RateLimiter"/>: a burst of
/// <see cref="RateLimit.Count"/>, then one every <c>Per / Count</c>); an attempt without one waits for it on the
/// target's clock. The item keeps its place meanwhile: nothing is dropped.
/// </summary>
internal sealed class RateLimitStep(IDeliveryStep inner, RateLimit rate, TimeProvider time, TargetCounters counters) : IDeliveryStep
{
    private readonly RateLimiter _bucket = new(rate, time);

    public async ValueTask<DeliveryAttempt> SendAsync(DeliveryCall call)
    {
        if (_bucket.Take() is { } wait && wait > TimeSpan.Zero)
        {
            counters.OnRateLimited();
            await Task.Delay(wait, time, call.Stopping).ConfigureAwait(false);
        }

        return await inner.SendAsync(call).ConfigureAwait(false);
    }
}
