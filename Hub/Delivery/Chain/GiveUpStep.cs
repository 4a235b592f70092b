using Microsoft.Extensions.Logging;

namespace Hub.Delivery.Chain;

/// <summary>
/// The outermost step: what the inner steps gave up on goes to the failover targets (the route's chain, else the
/// target's), else to the dead letters (or only the log, without a store). Either way the target is done with the
/// item. The first give-up of an episode is reported (mqttwarn's <c>[failover]</c> section hears of it).
/// </summary>
internal sealed class GiveUpStep(IDeliveryStep inner, string service, string? target, TargetHealth health, TargetCounters counters, Action<QueuedItem> done, ILogger logger) : IDeliveryStep
{
    private string DisplayName => target is null ? service : $"{service}:{target}";

    /// <summary>Hands an item to the failover targets; true when one took it.</summary>
    public Func<QueuedItem, string, ValueTask<bool>>? Failover { get; set; }

    public DeadLetterStore? DeadLetters { get; set; }

    /// <summary>Called once when the target starts giving up on items (until it delivers again), with the reason.</summary>
    public Action<string>? Failing { get; set; }

    public async ValueTask<DeliveryAttempt> SendAsync(DeliveryCall call)
    {
        var result = await inner.SendAsync(call).ConfigureAwait(false);
        if (result.Result == DeliveryResult.Sent)
        {
            return result;
        }

        var reason = result.Reason;
        foreach (var queued in call.Batch)
        {
            if (Failover is { } failover && await failover(queued with { JournalSequence = 0 }, reason).ConfigureAwait(false))
            {
                counters.OnFailedOver();
                done(queued); // the failover target journaled its own copy first
                continue;
            }

            Abandon(queued, reason);
        }

        if (Failing is { } failing && health.FirstGiveUp())
        {
            failing(reason);
        }

        return result;
    }

    /// <summary>Gives up on an item without failover: counted as failed, kept as a dead letter, logged, done.</summary>
    public void Abandon(QueuedItem queued, string reason)
    {
        counters.OnFailed();
        var letter = DeadLetter(queued, reason);
        done(queued);
        logger.LogError("Notification not delivered: {Reason}. service={Service}, target={Target}, topic={Topic}{Letter}",
            reason, service, target ?? "", queued.Item.Topic, letter is null ? "" : $"; kept as dead letter {letter} (hub dlq list)");
    }

    /// <summary>Keeps the item in the dead-letter store; its id, or null without a store or when writing failed (logged).</summary>
    public string? DeadLetter(QueuedItem queued, string reason)
    {
        if (DeadLetters is not { } store)
        {
            return null;
        }

        try
        {
            var id = store.Add(queued.Item, reason);
            counters.OnDeadLettered();
            return id;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogError("Keeping a dead letter of {Target} in {Directory} failed: {Reason}", DisplayName, store.Directory, ex.Message);
            return null;
        }
    }
}
