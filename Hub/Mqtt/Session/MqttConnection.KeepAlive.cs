using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Session;

/// <summary>Keep-alive on the negotiated interval: PINGREQ after an interval without sending, close if PINGRESP does not follow.</summary>
internal sealed partial class MqttConnection
{
    private TaskCompletionSource? _pingResponse;

    private async Task KeepAliveLoopAsync(CancellationToken cancellationToken)
    {
        var interval = _settings.KeepAlive;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var idle = _time.GetElapsedTime(Volatile.Read(ref _lastSendTimestamp));
                if (idle < interval)
                {
                    await Task.Delay(interval - idle, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var response = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref _pingResponse, response);
                Enqueue(PingReqPacket.Instance);
                while (!await ReceivedPingResponseAsync(response.Task, cancellationToken).ConfigureAwait(false))
                {
                    // A PINGRESP stuck behind messages the handler has not taken yet is not a dead broker.
                    if (!Volatile.Read(ref _readerPaused))
                    {
                        Close($"no PINGRESP within {_settings.PingTimeout.TotalSeconds:0.###} s");
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> ReceivedPingResponseAsync(Task response, CancellationToken cancellationToken)
    {
        try
        {
            await response.WaitAsync(_settings.PingTimeout, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
