using System.Buffers;
using Hub.Mqtt.Codec;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;
using Hub.Mqtt.Transport;
using Microsoft.Extensions.Logging;

namespace Hub.Mqtt.Session;

/// <summary>CONNECT out, CONNACK in: the only exchange allowed before the connection is up.</summary>
internal static class MqttHandshake
{
    public static async Task<ConnAckPacket> RunAsync(
        ITransportConnection transport,
        IMqttPacketFormatter formatter,
        ConnectPacket connect,
        int maxPacketSize,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        formatter.Encode(connect, buffer);
        logger.LogTrace("Sending {Packet}", connect);
        await transport.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);

        var input = transport.Input;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var data = result.Buffer;
            if (MqttFrameReader.TryRead(ref data, maxPacketSize, out var frame))
            {
                var packet = formatter.Decode(frame);
                input.AdvanceTo(data.Start);
                logger.LogTrace("Received {Packet}", packet);
                return packet as ConnAckPacket ?? throw new MqttProtocolException($"Expected CONNACK, received {packet.Type}.");
            }

            if (result.IsCompleted)
            {
                throw new IOException("The broker closed the connection before CONNACK.");
            }

            input.AdvanceTo(data.Start, data.End);
        }
    }
}
