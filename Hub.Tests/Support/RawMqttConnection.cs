using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Hub.Mqtt;
using Hub.Mqtt.Codec;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;

namespace Hub.Tests.Support;

/// <summary>
/// A TCP connection that sends and receives single MQTT packets (or raw bytes) with no client behaviour at
/// all: no automatic acknowledgements, no keep-alive. For broker protocol tests.
/// </summary>
internal sealed class RawMqttConnection : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;

    private RawMqttConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(_stream);
    }

    public IMqttPacketFormatter Formatter { get; set; } = MqttPacketFormatters.For(4);

    public static async Task<RawMqttConnection> OpenAsync(string host, int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(host, port);
        return new RawMqttConnection(socket);
    }

    /// <summary>Sends CONNECT (the formatter follows its protocol level) and returns the CONNACK.</summary>
    public async Task<ConnAckPacket> ConnectAsync(ConnectPacket connect)
    {
        Formatter = MqttPacketFormatters.For(connect.ProtocolLevel);
        await SendAsync(connect);
        return Assert.IsType<ConnAckPacket>(await ReceiveAsync());
    }

    public async Task SendAsync(MqttPacket packet)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Formatter.Encode(packet, buffer);
        await SendBytesAsync(buffer.WrittenMemory);
    }

    public async Task SendBytesAsync(ReadOnlyMemory<byte> bytes) => await _stream.WriteAsync(bytes);

    /// <summary>The next packet, or <see cref="TimeoutException"/>; <see cref="EndOfStreamException"/> when the broker closed the connection.</summary>
    public async Task<MqttPacket> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _input.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("No packet from the broker in time.");
            }

            var buffer = result.Buffer;
            if (MqttFrameReader.TryRead(ref buffer, int.MaxValue, out var frame))
            {
                var packet = Formatter.Decode(frame);
                _input.AdvanceTo(buffer.Start);
                return packet;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new EndOfStreamException("The broker closed the connection.");
            }
        }
    }

    /// <summary>Receives until a packet of type <typeparamref name="T"/> arrives (answering nothing in between).</summary>
    public async Task<T> ReceiveAsync<T>() where T : MqttPacket
    {
        while (true)
        {
            if (await ReceiveAsync() is T packet)
            {
                return packet;
            }
        }
    }

    /// <summary>Waits for the broker to close the connection; returns the packets it sent before (a 5.0 DISCONNECT, say).</summary>
    public async Task<List<MqttPacket>> WaitClosedAsync(TimeSpan? timeout = null)
    {
        var packets = new List<MqttPacket>();
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            try
            {
                packets.Add(await ReceiveAsync(deadline - DateTime.UtcNow));
            }
            catch (EndOfStreamException)
            {
                return packets;
            }
            catch (IOException)
            {
                return packets;
            }
            catch (MqttProtocolException)
            {
                return packets;
            }
        }
    }

    public static ConnectPacket Connect(string clientId, int level = 4, bool clean = true, ushort keepAlive = 60) =>
        new(level, clientId, keepAlive, clean);

    public static PublishPacket Publish(string topic, string payload, int qos = 0, ushort id = 0, bool retain = false) =>
        new(new MqttApplicationMessage(topic, System.Text.Encoding.UTF8.GetBytes(payload), qos, retain), id);

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync();
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
