using System.Net.Sockets;
using System.Text;

namespace HubBench;

/// <summary>
/// A minimal MQTT 3.1.1 QoS 0 publisher on a blocking socket: CONNECT once, then each PUBLISH is one send() on the
/// calling thread. The latency measurement timestamps a message right before that send, so no client library's
/// queues or thread hops sit between the timestamp and the wire.
/// </summary>
internal sealed class RawPublisher : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly byte[] _packet = new byte[1024];
    private readonly byte[] _topic;

    public RawPublisher(int port, string clientId, string topic)
    {
        _topic = Encoding.UTF8.GetBytes(topic);
        _socket.Connect("127.0.0.1", port);
        var id = Encoding.UTF8.GetBytes(clientId);
        var connect = new List<byte> { 0x10, (byte)(10 + 2 + id.Length), 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0x02, 0, 60, 0, (byte)id.Length };
        connect.AddRange(id);
        _socket.Send(connect.ToArray());
        var connack = new byte[4];
        var got = 0;
        while (got < 4)
        {
            var n = _socket.Receive(connack, got, 4 - got, SocketFlags.None);
            if (n == 0)
            {
                throw new IOException("the broker closed the connection before CONNACK");
            }

            got += n;
        }

        if (connack[0] != 0x20 || connack[3] != 0)
        {
            throw new IOException($"CONNECT refused (return code {connack[3]})");
        }
    }

    /// <summary>Sends one QoS 0 PUBLISH carrying <paramref name="payload"/> (at most ~900 bytes).</summary>
    public void Publish(ReadOnlySpan<byte> payload)
    {
        var remaining = 2 + _topic.Length + payload.Length;
        var at = 0;
        _packet[at++] = 0x30;
        do
        {
            var digit = (byte)(remaining % 128);
            remaining /= 128;
            _packet[at++] = remaining > 0 ? (byte)(digit | 0x80) : digit;
        }
        while (remaining > 0);

        _packet[at++] = (byte)(_topic.Length >> 8);
        _packet[at++] = (byte)_topic.Length;
        _topic.CopyTo(_packet, at);
        at += _topic.Length;
        payload.CopyTo(_packet.AsSpan(at));
        at += payload.Length;
        _socket.Send(_packet, 0, at, SocketFlags.None);
    }

    public void Dispose()
    {
        try
        {
            _socket.Send([0xE0, 0x00]); // DISCONNECT
        }
        catch (SocketException)
        {
        }

        _socket.Dispose();
    }
}
