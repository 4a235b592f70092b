using System.Net.Security;
using System.Net.Sockets;

namespace Hub.Mqtt.Transport;

/// <summary>TCP, optionally wrapped in TLS as <see cref="MqttTlsOptions"/> describe.</summary>
internal sealed class TcpTransport(MqttClientOptions options) : IMqttTransport
{
    public string Endpoint => $"{options.Host}:{options.Port}";

    public async ValueTask<ITransportConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream stream;
        try
        {
            if (options.Tls is null)
            {
                // Plain TCP stays a blocking socket: one asynchronous call would switch it to the runtime's event
                // thread for good, and every read would then wake that thread first (see ThreadedStreamConnection).
                await ConnectBlockingAsync(socket, cancellationToken).ConfigureAwait(false);
                return new ThreadedStreamConnection(new NetworkStream(socket, ownsSocket: true), $"mqtt-read {Endpoint}", blocking: true);
            }

            await socket.ConnectAsync(options.Host, options.Port, cancellationToken).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var verifier = new TlsServerVerifier(options.Tls);
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(TlsClientSettings.Create(options, verifier), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (verifier.Failure is not null && ex is not OperationCanceledException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new MqttConnectException($"TLS handshake failed: {verifier.Failure}", ex);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new ThreadedStreamConnection(ssl, $"mqtt-read {Endpoint}", blocking: false);
    }

    /// <summary>A blocking connect on a pool thread; cancelling closes the socket, which ends the connect, and stops waiting for it at once.</summary>
    private Task ConnectBlockingAsync(Socket socket, CancellationToken cancellationToken) =>
        Task.Run(
            () =>
            {
                using var cancel = cancellationToken.Register(socket.Dispose);
                try
                {
                    socket.Connect(options.Host, options.Port);
                }
                catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is SocketException or ObjectDisposedException)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
                catch (SocketException ex)
                {
                    // The blocking call appends the address to its message; the logs say the endpoint already.
                    throw new SocketException((int)ex.SocketErrorCode);
                }
            },
            cancellationToken).WaitAsync(cancellationToken);
}
