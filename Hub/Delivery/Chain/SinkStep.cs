namespace Hub.Delivery.Chain;

/// <summary>The innermost step: one attempt through the plugin's <see cref="RunningSink"/> (timeout, isolation), counted.</summary>
internal sealed class SinkStep(RunningSink sink, TargetCounters counters) : IDeliveryStep
{
    public async ValueTask<DeliveryAttempt> SendAsync(DeliveryCall call)
    {
        var result = sink.Batch is null
            ? await sink.AttemptAsync(call.First, call.Stopping, call.OnBlocked).ConfigureAwait(false)
            : await sink.AttemptBatchAsync([.. call.Batch.Select(q => q.Item)], call.Stopping, call.OnBlocked).ConfigureAwait(false);
        counters.On(result.Result, call.Batch.Count); // an abandoned call was counted as timed out when it blocked
        return result;
    }
}
