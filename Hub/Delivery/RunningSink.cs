using Hub.Plugins;
using Polly;
using Polly.Timeout;
using Microsoft.Extensions.Logging;

namespace Hub.Delivery;

/// <summary>
/// The host-side wrapper around one sink instance: every call runs under the service's timeout (Polly's timeout
/// strategy) with exception isolation; a failure is logged with service, target, topic and reason. Plugins throw;
/// this decides.
/// </summary>
/// <remarks>
/// Calls start inline on the target's worker: a thread-pool hop per item would cost about 10 µs. A plugin
/// that blocks its caller's thread is caught by the timeout all the same: the timer reports the timeout
/// and tells the caller (the target's queue starts a new worker), and from then on that instance's calls
/// start on the thread pool, so it can never stall its worker again.
/// </remarks>
public sealed class RunningSink(string service, ISink sink, TimeSpan timeout, ILogger logger, TimeProvider? time = null)
{
    private static readonly TimeSpan SlowSynchronousCall = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Slow synchronous calls in a row that isolate the plugin: one alone is as likely a busy machine that took the
    /// thread's core away (seen at 130 ms with 40 runnable threads on 2 cores), and isolating for it would cost every
    /// later delivery its inline path; a plugin that blocks, blocks every time. The timeout isolates at once.
    /// </summary>
    private const int SlowCallsInARow = 3;
    private readonly TimeProvider _clock = time ?? TimeProvider.System;
    private int _slowInARow;
    // Polly's timeout takes 10 ms to a day: plugin_timeout is held within those bounds.
    private readonly ResiliencePipeline _timeout = new ResiliencePipelineBuilder { TimeProvider = time ?? TimeProvider.System }
        .AddTimeout(TimeSpan.FromTicks(Math.Clamp(timeout.Ticks, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerDay))).Build();
    private volatile bool _isolated;

    public string Service { get; } = service;
    public ISink Sink { get; } = sink;
    public IBatchSink? Batch { get; } = sink as IBatchSink;
    public TimeSpan Timeout { get; } = timeout;

    /// <summary>True once the plugin was seen blocking its caller: its calls now start on the thread pool.</summary>
    public bool Isolated => _isolated;

    /// <summary>Delivers one item; returns false (after logging) on failure or timeout. Never throws but for shutdown.</summary>
    public async ValueTask<bool> DeliverAsync(DeliveryItem item, CancellationToken stopping) =>
        (await AttemptAsync(item, stopping).ConfigureAwait(false)).Result == DeliveryResult.Sent;

    /// <summary>
    /// Delivers one item and says how it went; logs failures. Never throws but for shutdown.
    /// <paramref name="onBlocked"/> runs (on a timer thread) when the plugin still blocks the calling thread at the timeout.
    /// </summary>
    public ValueTask<DeliveryAttempt> AttemptAsync(DeliveryItem item, CancellationToken stopping, Action? onBlocked = null) =>
        AttemptAsync(item, "", token => Sink.SendAsync(item, token), stopping, onBlocked);

    /// <summary>As <see cref="AttemptAsync(DeliveryItem, CancellationToken, Action?)"/> for a batch through <see cref="IBatchSink"/>.</summary>
    public ValueTask<DeliveryAttempt> AttemptBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken stopping, Action? onBlocked = null) =>
        AttemptAsync(items[0], items.Count == 1 ? "" : $" (a batch of {items.Count})", token => Batch!.SendBatchAsync(items, token), stopping, onBlocked);

    private async ValueTask<DeliveryAttempt> AttemptAsync(DeliveryItem item, string what, Func<CancellationToken, ValueTask> call, CancellationToken stopping, Action? onBlocked)
    {
        try
        {
            return await _timeout.ExecuteAsync(
                static (state, token) => state.Owner.AttemptWithinAsync(state.Item, state.What, state.Call, token, state.OnBlocked),
                (Owner: this, Item: item, What: what, Call: call, OnBlocked: onBlocked),
                stopping).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException)
        {
            Log(item, $"timed out after {Timeout.TotalSeconds:0.###} s{what}");
            return DeliveryResult.TimedOut;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            Log(item, ex.Message + what);
            return new DeliveryAttempt(DeliveryResult.Threw, ex);
        }
    }

    /// <summary>One call under the timeout's <paramref name="token"/> (cancelled at the timeout or when the hub stops).</summary>
    private async ValueTask<DeliveryAttempt> AttemptWithinAsync(DeliveryItem item, string what, Func<CancellationToken, ValueTask> call, CancellationToken token, Action? onBlocked)
    {
        if (_isolated)
        {
            await Task.Run(() => call(token).AsTask(), CancellationToken.None).WaitAsync(token).ConfigureAwait(false);
            return DeliveryResult.Sent;
        }

        var send = StartInline(item, what, call, token, onBlocked, out var abandoned);
        if (abandoned)
        {
            return DeliveryResult.Abandoned;
        }

        if (send.IsCompleted)
        {
            await send.ConfigureAwait(false);
        }
        else
        {
            await send.AsTask().WaitAsync(token).ConfigureAwait(false);
        }

        return DeliveryResult.Sent;
    }

    /// <summary>Runs the synchronous part of the plugin's call on this thread, watched by the attempt's timer.</summary>
    private ValueTask StartInline(DeliveryItem item, string what, Func<CancellationToken, ValueTask> plugin, CancellationToken token, Action? onBlocked, out bool abandoned)
    {
        var call = new InlineCall(this, item, what, onBlocked);
        var started = _clock.GetTimestamp();
        ValueTask send;
        using (token.UnsafeRegister(static state => ((InlineCall)state!).Expire(), call))
        {
            try
            {
                send = plugin(token);
            }
            catch
            {
                if (!call.TryFinish())
                {
                    abandoned = true;
                    return default;
                }

                throw;
            }

            abandoned = !call.TryFinish();
        }

        if (!abandoned)
        {
            var took = _clock.GetElapsedTime(started);
            if (took <= SlowSynchronousCall)
            {
                Volatile.Write(ref _slowInARow, 0);
            }
            else if (Interlocked.Increment(ref _slowInARow) >= SlowCallsInARow)
            {
                Isolate($"{SlowCallsInARow} calls in a row blocked the calling thread, the last for {took.TotalMilliseconds:0} ms");
            }
        }

        return abandoned ? default : send;
    }

    private void Isolate(string reason)
    {
        if (!_isolated)
        {
            _isolated = true;
            logger.LogWarning("Plugin instance {Service} blocks its caller ({Reason}); its calls now start on the thread pool", Service, reason);
        }
    }

    private void Log(DeliveryItem item, string reason) =>
        logger.LogWarning("Notification failed or timed out. service={Service}, target={Target}, topic={Topic}: {Reason}",
            Service, item.Target ?? "", item.Topic, reason);

    /// <summary>One inline call: whichever comes first, the plugin returning or the timeout, wins.</summary>
    private sealed class InlineCall(RunningSink owner, DeliveryItem item, string what, Action? onBlocked)
    {
        private const int Running = 0, Returned = 1, Expired = 2;
        private int _state;

        public bool TryFinish() => Interlocked.CompareExchange(ref _state, Returned, Running) == Running;

        public void Expire()
        {
            if (Interlocked.CompareExchange(ref _state, Expired, Running) != Running)
            {
                return;
            }

            owner.Log(item, $"timed out after {owner.Timeout.TotalSeconds:0.###} s{what}");
            owner.Isolate("it still held the calling thread at the timeout");
            onBlocked?.Invoke();
        }
    }
}
