using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace Hub.Delivery;

/// <summary>
/// The host-side wrapper around one sink instance: every call runs under a timeout with exception
/// isolation; a failure is logged with service, target, topic and reason, and counted. Plugins throw;
/// this decides.
/// </summary>
public sealed class RunningSink(string service, ISink sink, TimeSpan timeout, ILogger logger)
{
    public string Service { get; } = service;
    public ISink Sink { get; } = sink;
    public IBatchSink? Batch { get; } = sink as IBatchSink;
    public TimeSpan Timeout { get; } = timeout;

    /// <summary>Delivers one item; returns false (after logging) on failure or timeout. Never throws but for shutdown.</summary>
    public async ValueTask<bool> DeliverAsync(DeliveryItem item, CancellationToken stopping)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        return await DeliverAsync(item, attempt, stopping).ConfigureAwait(false);
    }

    /// <summary>
    /// Delivers one item with a caller-owned attempt source (linked to <paramref name="stopping"/>), so a
    /// worker can reuse one source for many items. The timeout timer starts only when the plugin does not
    /// complete synchronously: most calls to fast sinks then cost no timer at all.
    /// </summary>
    public ValueTask<bool> DeliverAsync(DeliveryItem item, CancellationTokenSource attempt, CancellationToken stopping)
    {
        ValueTask send;
        try
        {
            send = Sink.SendAsync(item, attempt.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            Log(item.Target, item.Topic, ex.Message);
            return ValueTask.FromResult(false);
        }

        return send.IsCompletedSuccessfully ? ValueTask.FromResult(true) : AwaitAsync(send, item.Target, item.Topic, attempt, stopping);
    }

    /// <summary>Delivers a batch through <see cref="IBatchSink"/>; false (after logging) when the batch failed.</summary>
    public ValueTask<bool> DeliverBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationTokenSource attempt, CancellationToken stopping)
    {
        ValueTask send;
        try
        {
            send = Batch!.SendBatchAsync(items, attempt.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            Log(items[0].Target, items[0].Topic, $"{ex.Message} (a batch of {items.Count})");
            return ValueTask.FromResult(false);
        }

        return send.IsCompletedSuccessfully ? ValueTask.FromResult(true) : AwaitAsync(send, items[0].Target, items[0].Topic, attempt, stopping);
    }

    private async ValueTask<bool> AwaitAsync(ValueTask send, string? target, string topic, CancellationTokenSource attempt, CancellationToken stopping)
    {
        attempt.CancelAfter(Timeout);
        try
        {
            // WaitAsync: a plugin that ignores its token is abandoned at the timeout instead of stalling the worker.
            await send.AsTask().WaitAsync(attempt.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (attempt.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            Log(target, topic, $"timed out after {Timeout.TotalSeconds:0.###} s");
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            Log(target, topic, ex.Message);
            return false;
        }
    }

    private void Log(string? target, string topic, string reason) =>
        logger.LogWarning("Notification failed or timed out. service={Service}, target={Target}, topic={Topic}: {Reason}",
            Service, target ?? "", topic, reason);
}
