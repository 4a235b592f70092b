namespace Hub.Delivery.Chain;

/// <summary>
/// One link of a target's delivery chain: delivers one item or a batch and says how it went. Each concern (rate
/// limit, circuit breaker, retry, give-up) is a step that wraps the next one, down to the plugin's sink; a step
/// short-circuits by not calling its inner step. Never throws but for shutdown (<see cref="DeliveryCall.Stopping"/>).
/// </summary>
internal interface IDeliveryStep
{
    ValueTask<DeliveryAttempt> SendAsync(DeliveryCall call);
}
