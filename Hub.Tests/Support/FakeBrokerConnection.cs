using System.IO.Pipelines;
using Hub.Mqtt.Codec;
using Hub.Mqtt.Codec.V311;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;

namespace Hub.Tests.Support;

/// <summary>The broker's end of a <see cref="FakeTransport"/> connection: reads the client's packets, sends packets to it.</summary>
internal sealed class FakeBrokerConnection(PipeReader fromClient, PipeWriter toClient, int protocolLevel = 4)
{
    private readonly IMqttPacketFormatter _formatter = protocolLevel == 5 ? MqttPacketFormatters.For(5) : new MqttV311PacketFormatter();

    /// <summary>The next packet from the client; null when the client closed the connection.</summary>
    public async Task<MqttPacket?> ReadAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await fromClient.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The client sent nothing within {timeout}.");
            }

            var buffer = result.Buffer;
            if (MqttFrameReader.TryRead(ref buffer, int.MaxValue, out var frame))
            {
                var packet = _formatter.Decode(frame);
                fromClient.AdvanceTo(buffer.Start);
                return packet;
            }

            fromClient.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    public async Task<T> ReadAsync<T>(TimeSpan timeout) where T : MqttPacket
    {
        var packet = await ReadAsync(timeout);
        return packet as T ?? throw new InvalidOperationException($"Expected {typeof(T).Name}, received {packet?.ToString() ?? "end of stream"}.");
    }

    /// <summary>Answers the CONNECT with an accepting CONNACK.</summary>
    public async Task<ConnectPacket> AcceptConnectAsync(TimeSpan timeout, bool sessionPresent = false, MqttProperties? connAckProperties = null)
    {
        var connect = await ReadAsync<ConnectPacket>(timeout);
        await SendAsync(new ConnAckPacket(sessionPresent, 0) { Properties = connAckProperties ?? MqttProperties.None });
        return connect;
    }

    public async Task SendAsync(MqttPacket packet)
    {
        _formatter.Encode(packet, toClient);
        await toClient.FlushAsync();
    }

    public async Task SendRawAsync(byte[] bytes) => await toClient.WriteAsync(bytes);

    public async Task CloseAsync()
    {
        await toClient.CompleteAsync();
        await fromClient.CompleteAsync();
    }
}
