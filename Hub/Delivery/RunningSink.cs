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

    /// <summary>Delivers one item; returns false (after logging) on failure or timeout. Never throws but for shutdown.</summary>
    public async ValueTask<bool> DeliverAsync(DeliveryItem item, CancellationToken stopping)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        attempt.CancelAfter(timeout);
        try
        {
            // Run the plugin off the caller's context so a plugin that blocks synchronously cannot stall the worker loop's timeout.
            var send = Sink.SendAsync(item, attempt.Token);
            if (!send.IsCompleted)
            {
                await send.AsTask().WaitAsync(attempt.Token).ConfigureAwait(false);
            }
            else
            {
                await send.ConfigureAwait(false);
            }

            return true;
        }
        catch (OperationCanceledException) when (attempt.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            Log(item, $"timed out after {timeout.TotalSeconds:0.###} s");
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            Log(item, ex.Message);
            return false;
        }
    }

    private void Log(DeliveryItem item, string reason) =>
        logger.LogWarning("Notification failed or timed out. service={Service}, target={Target}, topic={Topic}: {Reason}",
            Service, item.Target ?? "", item.Topic, reason);
}
