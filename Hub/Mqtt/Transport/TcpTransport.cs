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
            await socket.ConnectAsync(options.Host, options.Port, cancellationToken).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        if (options.Tls is null)
        {
            return new ThreadedStreamConnection(stream, $"mqtt-read {Endpoint}");
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

        return new ThreadedStreamConnection(ssl, $"mqtt-read {Endpoint}");
    }
}
