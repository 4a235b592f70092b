using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace Hub.Delivery;

/// <summary>
/// The host-side wrapper around one sink instance: every call runs under the service's timeout with
/// exception isolation; a failure is logged with service, target, topic and reason. Plugins throw;
/// this decides.
/// </summary>
/// <remarks>
/// Each call starts on a thread-pool thread, so a plugin that blocks synchronously inside
/// <see cref="ISink.SendAsync"/> (and ignores its token) still times out: the target's worker moves on
/// and the blocked thread is the plugin's loss alone. The hop costs about a microsecond per item.
/// </remarks>
public sealed class RunningSink(string service, ISink sink, TimeSpan timeout, ILogger logger)
{
    public string Service { get; } = service;
    public ISink Sink { get; } = sink;
    public TimeSpan Timeout { get; } = timeout;

    /// <summary>Delivers one item; returns false (after logging) on failure or timeout. Never throws but for shutdown.</summary>
    public async ValueTask<bool> DeliverAsync(DeliveryItem item, CancellationToken stopping) =>
        await AttemptAsync(item, stopping).ConfigureAwait(false) == DeliveryResult.Sent;

    /// <summary>Delivers one item and says how it went; logs failures. Never throws but for shutdown.</summary>
    public async ValueTask<DeliveryResult> AttemptAsync(DeliveryItem item, CancellationToken stopping)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        attempt.CancelAfter(Timeout);
        var token = attempt.Token;
        try
        {
            await Task.Run(() => Sink.SendAsync(item, token).AsTask(), CancellationToken.None).WaitAsync(token).ConfigureAwait(false);
            return DeliveryResult.Sent;
        }
        catch (OperationCanceledException) when (attempt.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            Log(item, $"timed out after {Timeout.TotalSeconds:0.###} s");
            return DeliveryResult.TimedOut;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            Log(item, ex.Message);
            return DeliveryResult.Threw;
        }
    }

    private void Log(DeliveryItem item, string reason) =>
        logger.LogWarning("Notification failed or timed out. service={Service}, target={Target}, topic={Topic}: {Reason}",
            Service, item.Target ?? "", item.Topic, reason);
}
