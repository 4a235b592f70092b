namespace Hub.Plugins;

/// <summary>
/// Optional capability of a sink that writes more efficiently in batches (databases, time-series
/// stores). The host collects queued items and calls this instead of <see cref="ISink.SendAsync"/>;
/// batching, flushing on a timer and on shutdown are the host's job.
/// </summary>
public interface IBatchSink : ISink
{
    /// <summary>The largest batch the sink accepts (the host may send fewer).</summary>
    int MaxBatchSize => 500;

    /// <summary>Delivers the items in order; throw to fail the whole batch.</summary>
    ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken);
}
