using System.Buffers;
using Hub.Mqtt.Packets;

namespace Hub.Broker;

/// <summary>The single writer: drains the queue into one buffer and writes it when the queue is momentarily empty.</summary>
internal sealed partial class BrokerConnection
{
    private const int BatchBytes = 64 * 1024;
    private uint? _clientMaxPacketSize;

    private async Task WriteLoopAsync()
    {
        await Task.Yield();
        var buffer = new ArrayBufferWriter<byte>(4096);
        var reader = _outgoing.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                long taken = 0;
                var publishes = 0;
                var responses = 0;
                while (buffer.WrittenCount < BatchBytes && reader.TryRead(out var packet))
                {
                    _formatter.Encode(packet, buffer);
                    taken += EstimatedSize(packet);
                    if (packet is PublishPacket)
                    {
                        publishes++;
                        _engine.Statistics.MessageSent();
                    }
                    else
                    {
                        responses++;
                    }
                }

                // Counted as waiting until the socket has taken them: a client that does not read keeps them here.
                await _transport.WriteAsync(buffer.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
                Written(taken, publishes, responses);
                _engine.Statistics.BytesOut(buffer.WrittenCount);
                if (buffer.Capacity > 4 * BatchBytes)
                {
                    buffer = new ArrayBufferWriter<byte>(4096); // don't keep a huge buffer after one big message
                }
                else
                {
                    buffer.ResetWrittenCount();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Close(null, $"write failed: {ex.Message}", BrokerCloseReason.ConnectionLost);
        }
    }

    /// <summary>Lets the writer flush what is queued (a final DISCONNECT, say), but not for ever: a client that stopped reading must not hold the close.</summary>
    private static async Task FinishWritingAsync(Task writer)
    {
        try
        {
            await writer.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private int EncodedSize(MqttPacket packet)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        _formatter.Encode(packet, buffer);
        return buffer.WrittenCount;
    }
}
