namespace Hub.Plugins;

/// <summary>
/// Optional for a sink whose delivery of some items is synchronous work of microseconds that cannot block: appending
/// to a local file already open, writing a log line. For such an item the host may deliver on the thread that received
/// the message, when the target's queue is idle, instead of waking the target's worker: one thread hand-off (and its
/// wake-up latency) less per message. Everything else about the delivery stays the same (timeout, retries, order).
/// </summary>
/// <remarks>
/// A call made inline that blocks holds up every route until it returns, so answer true only when that cannot happen
/// (for example never for a first open, a FIFO, a device or a network). Operators can turn inline delivery off per
/// service or target with <c>inline = False</c>.
/// </remarks>
public interface IInlineSink : ISink
{
    /// <summary>True when <see cref="ISink.SendAsync"/> for <paramref name="item"/> would complete synchronously and at once.</summary>
    /// <param name="item">The item about to be delivered.</param>
    bool CanSendInline(DeliveryItem item);
}
