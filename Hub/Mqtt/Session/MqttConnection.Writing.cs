using System.Buffers;
using Hub.Mqtt.Packets;
using Microsoft.Extensions.Logging;

namespace Hub.Mqtt.Session;

/// <summary>The single writer: drains the queue into one buffer and writes it when the queue is momentarily empty.</summary>
internal sealed partial class MqttConnection
{
    private const int BatchBytes = 64 * 1024;
    private long _lastSendTimestamp;

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(BatchBytes);
        var written = new List<TaskCompletionSource<bool>>();
        var reader = _outgoing.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (buffer.WrittenCount < BatchBytes && reader.TryRead(out var item))
                {
                    var packet = item.Packet is PublishPacket publish ? _outboundAliases.Apply(publish) : item.Packet;
                    _formatter.Encode(packet, buffer);
                    if (_logger.IsEnabled(LogLevel.Trace))
                    {
                        _logger.LogTrace("Sending {Packet}", packet);
                    }

                    if (item.Written is not null)
                    {
                        written.Add(item.Written);
                    }
                }

                await _transport.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _lastSendTimestamp, _time.GetTimestamp());
                if (buffer.Capacity > 4 * BatchBytes)
                {
                    buffer = new ArrayBufferWriter<byte>(BatchBytes); // don't keep a huge buffer after one big message
                }
                else
                {
                    buffer.ResetWrittenCount();
                }

                foreach (var done in written)
                {
                    done.TrySetResult(true);
                }

                written.Clear();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Net.Sockets.SocketException or ObjectDisposedException or ArgumentException)
        {
            Close($"write failed: {ex.Message}");
        }
        finally
        {
            foreach (var notWritten in written)
            {
                notWritten.TrySetResult(false);
            }
        }
    }
}
