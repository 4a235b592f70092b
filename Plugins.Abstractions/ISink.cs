namespace Hub.Plugins;

/// <summary>
/// A sink (notifier, storage, bridge): receives one prepared <see cref="DeliveryItem"/> per target
/// and delivers it. Throw to report a failure: the host logs it with service, target, topic and
/// reason, and decides about retries. Never swallow a failure.
/// </summary>
public interface ISink
{
    /// <summary>Delivers one item. Completes when the item has been accepted by the destination.</summary>
    /// <param name="item">The fully prepared item: target descriptor, formatted message, title, priority, data.</param>
    /// <param name="cancellationToken">Cancelled when the host gives up on this attempt (timeout or shutdown).</param>
    ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken);
}
