using Hub.Plugins;

namespace Hub.Delivery.Chain;

/// <summary>One trip of a batch (often a single item) down a target's delivery chain.</summary>
internal sealed class DeliveryCall(IReadOnlyList<QueuedItem> batch, CancellationToken stopping, CancellationToken draining, Action? onBlocked = null)
{
    /// <summary>The items, in order; a batch succeeds or fails as a whole.</summary>
    public IReadOnlyList<QueuedItem> Batch { get; } = batch;

    /// <summary>The hub is stopping now: calls under way are cancelled.</summary>
    public CancellationToken Stopping { get; } = stopping;

    /// <summary>The target is draining (reload or shutdown): waits are cut short, one last attempt is made.</summary>
    public CancellationToken Draining { get; } = draining;

    /// <summary>Runs (on a timer thread) when the plugin still blocks the calling thread at its timeout.</summary>
    public Action? OnBlocked { get; } = onBlocked;

    public DeliveryItem First => Batch[0].Item;
}
