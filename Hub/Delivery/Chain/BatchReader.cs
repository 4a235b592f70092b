using System.Threading.Channels;

namespace Hub.Delivery.Chain;

/// <summary>
/// Host-side batching for sinks with the batch ability (<see cref="Hub.Plugins.IBatchSink"/>): a batch takes what is
/// queued, up to <paramref name="size"/> items; with a <paramref name="wait"/> it also waits for more until it is full
/// or its oldest item is <paramref name="wait"/> old (<c>batch_wait</c>), else it leaves at once, so a lone item is
/// never delayed. A queue that completes (drain) lets the batch leave.
/// </summary>
internal sealed class BatchReader(ChannelReader<QueuedItem> reader, int size, TimeSpan wait, TimeProvider time)
{
    public int Size { get; } = Math.Max(1, size);

    /// <summary>Fills <paramref name="batch"/> starting with <paramref name="first"/>.</summary>
    public async ValueTask FillAsync(List<QueuedItem> batch, QueuedItem first)
    {
        batch.Clear();
        batch.Add(first);
        while (true)
        {
            while (batch.Count < Size && reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            var left = first.Accepted + wait - time.GetUtcNow();
            if (batch.Count >= Size || left <= TimeSpan.Zero)
            {
                return;
            }

            using var due = new CancellationTokenSource(left, time);
            try
            {
                if (!await reader.WaitToReadAsync(due.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (due.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
